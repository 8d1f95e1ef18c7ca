package io.agentserver.bench.sut;

import io.agentserver.bench.measure.JvmHeap;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Our server: one Redis and {@code replicas} processes of {@code agent-server.jar} on it. */
public final class OurSystem implements SystemUnderTest {
    private static final Readiness KEEP_ALIVE =
            Readiness.of("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}", "\"pong\"");

    private final RedisProcess redis;
    private final List<AgentServerProcess> servers;
    private final Tokens tokens;
    private final RedisPublisher publisher;
    private final boolean heapPreTouched;

    private OurSystem(RedisProcess redis, List<AgentServerProcess> servers, Tokens tokens, boolean heapPreTouched) {
        this.heapPreTouched = heapPreTouched;
        this.redis = redis;
        this.servers = servers;
        this.tokens = tokens;
        this.publisher = new RedisPublisher(redis.uri(), RedisPublisher.Format.AUTOGPT_EXECUTOR);
    }

    public static OurSystem start(int replicas, Path jar, String heap, String javaOpts, String redisCommand,
                                  Path workDir) {
        Tokens tokens = Tokens.bench();
        RedisProcess redis = RedisProcess.start(redisCommand, workDir);
        List<AgentServerProcess> servers = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                servers.add(AgentServerProcess.start(jar, heap, javaOpts, redis.uri(), tokens.secret(), workDir));
            }
            return new OurSystem(redis, servers, tokens, !heap.equals("default"));
        } catch (RuntimeException e) {
            servers.forEach(AgentServerProcess::close);
            redis.close();
            throw e;
        }
    }

    /** A JWT for {@code user} that the servers accept. */
    public String token(String user) {
        return tokens.forUser(user);
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public int replicas() {
        return servers.size();
    }

    public int port(int replica) {
        return servers.get(replica).port();
    }

    @Override
    public URI subscriberUri(int replica, String user, String exec) {
        return URI.create("ws://127.0.0.1:" + port(replica) + "/ws?token=" + tokens.forUser(user));
    }

    @Override
    public Readiness subscribe(String exec) {
        return Readiness.of("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}",
                "\"method\":\"subscribe_graph_execution\",\"data\":null,\"success\":true");
    }

    @Override
    public Readiness keepAlive() {
        return KEEP_ALIVE;
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
    public OptionalLong heapAfterGcKb(int replica) {
        return JvmHeap.usedAfterGcKb(servers.get(replica).pid());
    }

    @Override
    public boolean heapPreTouched() {
        return heapPreTouched;
    }

    @Override
    public OptionalLong brokerPid() {
        return redis.pid() > 0 ? OptionalLong.of(redis.pid()) : OptionalLong.empty();
    }

    @Override
    public java.util.Map<String, Double> busFacts() {
        return BusFacts.perReplica(servers.stream().map(AgentServerProcess::port).toList());
    }

    @Override
    public void close() {
        publisher.close();
        servers.forEach(AgentServerProcess::close);
        redis.close();
    }
}
