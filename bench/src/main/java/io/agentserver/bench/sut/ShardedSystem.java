package io.agentserver.bench.sut;

import io.agentserver.bench.workload.FanOutWorkload;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Our server on a Redis Cluster of 3 masters and 3 replicas ({@code REDIS_MODE=cluster}): as it runs against AutoGPT
 * since 2026 ({@code AUTOGPT_BUS=sharded}, the executions' graphs in AutoGPT's PostgreSQL, an executor that
 * {@code SPUBLISH}es each event to the execution's and the graph's channel), or the classic scheme on the same
 * cluster (for comparison: a {@code PUBLISH} is copied to every node).
 */
public final class ShardedSystem implements SystemUnderTest {

    private final RedisClusterProcess cluster;
    private final AutoGptDatabase autogpt;
    private final List<AgentServerProcess> servers;
    private final Tokens tokens;
    private final ShardedPublisher publisher;
    private final String name;

    private ShardedSystem(String name, RedisClusterProcess cluster, AutoGptDatabase autogpt,
                          List<AgentServerProcess> servers, Tokens tokens, boolean sharded) {
        this.name = name;
        this.cluster = cluster;
        this.autogpt = autogpt;
        this.servers = servers;
        this.tokens = tokens;
        this.publisher = new ShardedPublisher(cluster.seeds(), sharded);
    }

    /**
     * @param executions how many executions the workload watches (their rows are written to AutoGPT's table)
     * @param sharded    {@code AUTOGPT_BUS=sharded}, else classic (PUBLISH/PSUBSCRIBE) on the cluster
     * @param standby    {@code REDIS_REPLICA_DASH_STANDBY}: sharded subscriptions held on the replicas too
     */
    public static ShardedSystem start(String name, int replicas, int executions, boolean sharded, boolean standby,
                                      Path jar, String heap, String javaOpts, String redisServer, Path workDir) {
        Tokens tokens = Tokens.bench();
        RedisClusterProcess cluster = RedisClusterProcess.start(redisServer, 3, workDir);
        AutoGptDatabase autogpt = null;
        List<AgentServerProcess> servers = new ArrayList<>();
        try {
            autogpt = AutoGptDatabase.start(executions, i -> List.of(FanOutWorkload.execId(i),
                    FanOutWorkload.user(i), FanOutWorkload.graph(i)));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("REDIS_MODE", "cluster");
            env.put("AUTOGPT_BUS", sharded ? "sharded" : "classic");
            env.put("REDIS_REPLICA_DASH_STANDBY", Boolean.toString(standby));
            env.put("AUTOGPT_DATABASE_URL", autogpt.jdbcUrl());
            env.put("AUTOGPT_DATABASE_USERNAME", "postgres");
            env.put("AUTOGPT_DATABASE_POOL_DASH_SIZE", "4");
            env.put("AUTOGPT_DATABASE_CACHE_DASH_SIZE", Integer.toString(Math.max(10_000, executions)));
            for (int i = 0; i < replicas; i++) {
                servers.add(AgentServerProcess.start(jar, heap, javaOpts, cluster.seeds(), tokens.secret(), workDir,
                        env));
            }
            return new ShardedSystem(name, cluster, autogpt, servers, tokens, sharded);
        } catch (RuntimeException e) {
            servers.forEach(AgentServerProcess::close);
            if (autogpt != null) {
                autogpt.close();
            }
            cluster.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int replicas() {
        return servers.size();
    }

    @Override
    public URI subscriberUri(int replica, String user, String exec) {
        return URI.create("ws://127.0.0.1:" + servers.get(replica).port() + "/ws?token=" + tokens.forUser(user));
    }

    @Override
    public Readiness subscribe(String exec) {
        return Readiness.of("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}",
                "\"method\":\"subscribe_graph_execution\",\"data\":null,\"success\":true");
    }

    @Override
    public Readiness keepAlive() {
        return Readiness.of("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}", "\"pong\"");
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public List<Long> serverPids() {
        return servers.stream().map(AgentServerProcess::pid).toList();
    }

    @Override
    public OptionalLong brokerPid() {
        return OptionalLong.of(cluster.pids().getFirst());
    }

    /** Every node of the cluster: the table's Redis CPU is summed over them. */
    @Override
    public List<Long> brokerPids() {
        return cluster.pids();
    }

    @Override
    public Map<String, Double> busFacts() {
        Map<String, Double> facts = new LinkedHashMap<>(
                BusFacts.perReplica(servers.stream().map(AgentServerProcess::port).toList()));
        Map<String, Long> atRedis = cluster.clients("agent-server-bus-ssub");
        facts.put("Redis: SSUBSCRIBEs held per replica, all nodes (standbys included)",
                atRedis.getOrDefault("ssub", 0L) / (double) servers.size());
        facts.put("Redis: sharded pub/sub connections per replica, all nodes",
                atRedis.getOrDefault("connections", 0L) / (double) servers.size());
        return facts;
    }

    @Override
    public void close() {
        publisher.close();
        servers.forEach(AgentServerProcess::close);
        autogpt.close();
        cluster.close();
    }
}
