package io.agentserver.bench.sut;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of {@code masters} masters with one replica each, as {@code redis-server} processes on free
 * loopback ports (no persistence), created with {@code redis-cli --cluster create}. Needs Debian's
 * {@code redis-server} and {@code redis-tools} (Redis 7: sharded pub/sub).
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<Integer> ports;
    private final List<Process> processes;
    private final RedisClient admin = RedisClient.create();

    private RedisClusterProcess(List<Integer> ports, List<Process> processes) {
        this.ports = ports;
        this.processes = processes;
        admin.setOptions(ClientOptions.builder().maintNotificationsConfig(MaintNotificationsConfig.disabled()).build());
    }

    /** Why the cluster cannot be started here, or null if it can. */
    public static String unavailable(String redisServer) {
        if (Processes.onPath(redisServer) == null || Processes.onPath("redis-cli") == null) {
            return redisServer + " or redis-cli not on PATH (apt-get install redis-server redis-tools)";
        }
        return null;
    }

    public static RedisClusterProcess start(String redisServer, int masters, Path workDir) {
        Path binary = Processes.onPath(redisServer);
        List<Integer> ports = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * 2; i++) {
                int port = clusterPort();
                Path dir = Processes.directory(workDir, "redis-" + port);
                Path log = dir.resolve("redis.log");
                Process process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                        "--dir", dir.toString(), "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                processes.add(process);
                Processes.awaitPort(process, port, Duration.ofSeconds(20), log);
                ports.add(port);
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            RedisClusterProcess cluster = new RedisClusterProcess(ports, processes);
            cluster.awaitOk();
            return cluster;
        } catch (IOException e) {
            processes.forEach(Processes::stop);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            processes.forEach(Processes::stop);
            throw e;
        }
    }

    /** The seed list for {@code REDIS_URI}. */
    public String seeds() {
        return String.join(",", ports.stream().map(port -> "redis://127.0.0.1:" + port).toList());
    }

    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Per node: how many clients whose name starts with {@code prefix}, and how many sharded channels they hold. */
    public Map<String, Long> clients(String prefix) {
        Map<String, Long> totals = new HashMap<>();
        for (int port : ports) {
            for (String line : commands(port, c -> c.sync().clientList()).split("\n")) {
                Map<String, String> fields = new HashMap<>();
                for (String field : line.strip().split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                if (fields.getOrDefault("name", "").startsWith(prefix)) {
                    totals.merge("connections", 1L, Long::sum);
                    totals.merge("ssub", Long.parseLong(fields.getOrDefault("ssub", "0")), Long::sum);
                    totals.merge("sub", Long.parseLong(fields.getOrDefault("sub", "0")), Long::sum);
                    totals.merge("psub", Long.parseLong(fields.getOrDefault("psub", "0")), Long::sum);
                }
            }
        }
        return totals;
    }

    @Override
    public void close() {
        admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        processes.forEach(Processes::stop);
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean ok = ports.stream().allMatch(port -> commands(port, c -> c.sync().clusterInfo())
                    .contains("cluster_state:ok"));
            if (ok) {
                return;
            }
            Processes.sleep(100);
        }
        throw new IllegalStateException("Redis Cluster not ok within 30 s");
    }

    private <T> T commands(int port, java.util.function.Function<StatefulRedisConnection<String, String>, T> call) {
        try (StatefulRedisConnection<String, String> connection = admin.connect(
                RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(5)).build())) {
            return call.apply(connection);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A free port whose cluster bus port (+10000) is free too. */
    private static int clusterPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = Processes.freePort();
            if (port + 10_000 < 65_536 && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
