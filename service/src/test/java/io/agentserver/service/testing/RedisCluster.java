package io.agentserver.service.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real Redis Cluster of Debian's {@code redis-server} processes on free ports (3 masters and 3 replicas by default),
 * created with {@code redis-cli --cluster create}, with the operations tests need: a {@code CLUSTER FAILOVER} of the
 * shard that owns a channel, a slot migration, and {@code SPUBLISH} through a cluster client that follows
 * redirects, as AutoGPT's executor publishes. Also a single {@link #standalone()} Redis 7 (the embedded one is 6.2,
 * which has no sharded pub/sub). Tests that need one are skipped, with a message, where the binaries are missing.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** A little more than the 5 s after which Redis gives up a manual failover. */
    private static final Duration MANUAL_FAILOVER_TIMEOUT = Duration.ofSeconds(6);

    /** One node: its process, port and an admin connection. */
    public static final class Node {
        private final int port;
        private final Path dir;
        private final boolean clustered;
        private Process process;
        private final RedisClient client;
        private StatefulRedisConnection<String, String> connection;

        private Node(int port, Path dir, boolean clustered, Process process) {
            this.port = port;
            this.dir = dir;
            this.clustered = clustered;
            this.process = process;
            this.client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withTimeout(Duration.ofSeconds(5)).build());
            client.setOptions(ClientOptions.builder()
                    .maintNotificationsConfig(MaintNotificationsConfig.disabled()).build());
        }

        public int port() {
            return port;
        }

        public String address() {
            return "127.0.0.1:" + port;
        }

        public RedisCommands<String, String> commands() {
            if (connection == null || !connection.isOpen()) {
                connection = client.connect();
            }
            return connection.sync();
        }

        public boolean alive() {
            return process.isAlive();
        }

        public String id() {
            return commands().clusterMyId();
        }

        /** CPU seconds (user + system) the server process used so far, from {@code INFO cpu}. */
        public double cpuSeconds() {
            Map<String, String> info = infoFields(commands().info("cpu"));
            return Double.parseDouble(info.get("used_cpu_user")) + Double.parseDouble(info.get("used_cpu_sys"));
        }

        /** Kills the server process at once (SIGKILL): its connections drop, nothing is saved. */
        public void kill() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Stops the server process where it is (SIGSTOP): it reads, writes and gossips nothing, but its sockets stay
         * open. {@link #kill()} ends it from there. Skips the calling test where there is no {@code kill} (procps).
         */
        public void freeze() {
            Optional<String> kill = binary("kill");
            Assumptions.assumeTrue(kill.isPresent(), "no kill binary (procps) to stop a Redis process with");
            try {
                Process stop = new ProcessBuilder(kill.get(), "-STOP", Long.toString(process.pid())).start();
                if (!stop.waitFor(5, TimeUnit.SECONDS) || stop.exitValue() != 0) {
                    throw new IllegalStateException("kill -STOP " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Starts the server again on the same port and directory: a cluster node rejoins with its old identity. */
        public void restart() {
            process = spawn(port, dir, clustered);
            await("redis-server on port " + port + " again", () -> "PONG".equals(commands().ping()));
        }

        private void close() {
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private final Path dir;
    private final List<Node> nodes;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisClusterConnection<String, String> cluster;

    private RedisCluster(Path dir, List<Node> nodes) {
        this.dir = dir;
        this.nodes = nodes;
        this.clusterClient = RedisClusterClient.create(nodes.stream()
                .map(node -> RedisURI.builder().withHost("127.0.0.1").withPort(node.port())
                        // longer than a manual failover's client pause: a timed-out SPUBLISH would still be sent on
                        // after the redirect, behind the publisher's retry of it (out of order)
                        .withTimeout(Duration.ofSeconds(10)).build())
                .toList());
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(1)).build());
        options.maintNotificationsConfig(MaintNotificationsConfig.disabled());
        clusterClient.setOptions(options.build());
        this.cluster = clusterClient.connect();
    }

    /** Skips the calling test unless Debian's {@code redis-server} 7+ and {@code redis-cli} are installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(binary("redis-server").isPresent() && binary("redis-cli").isPresent(),
                "redis-server and redis-cli (Debian's redis-server and redis-tools, Redis 7+) are not installed:"
                        + " the sharded pub/sub and Redis Cluster tests are skipped (.ci/run installs them)");
    }

    /** 3 masters with one replica each. */
    public static RedisCluster start() {
        return start(3);
    }

    /**
     * One cluster per JVM, started on first use and stopped at exit: tests that fail over or migrate slots leave
     * it in another (valid) layout, so tests must not assume which node owns what.
     */
    public static RedisCluster shared() {
        assumeInstalled();
        return Shared.CLUSTER;
    }

    private static final class Shared {
        static final RedisCluster CLUSTER = start();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(CLUSTER::close, "redis-cluster-stop"));
        }
    }

    /** {@code masters} masters with one replica each, every slot covered, all nodes agreeing. */
    public static RedisCluster start(int masters) {
        assumeInstalled();
        Path dir = tempDir();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * 2; i++) {
                nodes.add(launch(dir, freeClusterPort(), true));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> create.add(node.address()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            RedisCluster cluster = new RedisCluster(dir, nodes);
            cluster.awaitAgreement();
            return cluster;
        } catch (RuntimeException | Error e) {
            nodes.forEach(Node::close);
            throw e;
        }
    }

    /** One Redis 7 server, not a cluster, on a free port: {@code redis://127.0.0.1:<port>}. */
    public static Standalone standalone() {
        assumeInstalled();
        Path dir = tempDir();
        Node node = launch(dir, freeClusterPort(), false);
        return new Standalone(node);
    }

    /**
     * Waits until every running node agrees that every slot is served and the cluster is ok (after a node was
     * killed and its replica took over, or it came back).
     */
    public void awaitHealthy() {
        await("cluster_state:ok on every running node", () -> nodes.stream()
                .filter(Node::alive)
                .allMatch(node -> "ok".equals(infoFields(node.commands().clusterInfo()).get("cluster_state"))));
    }

    /** A standalone Redis 7 started by {@link #standalone()}. */
    public static final class Standalone implements AutoCloseable {
        private final Node node;

        private Standalone(Node node) {
            this.node = node;
        }

        public String uri() {
            return "redis://" + node.address();
        }

        public RedisCommands<String, String> commands() {
            return node.commands();
        }

        @Override
        public void close() {
            node.close();
        }
    }

    /** The seed list for {@code REDIS_URI}: every node, comma-separated. */
    public String seeds() {
        return String.join(",", nodes.stream().map(node -> "redis://" + node.address()).toList());
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code SPUBLISH} through a cluster client that follows redirects (as redis-py's RedisCluster does). */
    public long spublish(String channel, String message) {
        return cluster.sync().spublish(channel, message);
    }

    /** Commands through the cluster client (each sent to the node of its key's slot). */
    public io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> commands() {
        return cluster.sync();
    }

    /** {@code PUBLISH} (classic; a cluster copies it to every node). */
    public long publish(String channel, String message) {
        return cluster.sync().publish(channel, message);
    }

    /** The master that owns {@code channel}'s slot now, as that master itself says. */
    public Node masterOf(String channel) {
        int slot = SlotHash.getSlot(channel);
        for (Node node : running()) {
            for (String line : node.commands().clusterNodes().split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].contains("myself") && f[2].contains("master") && ownsSlot(f, slot)) {
                    return node;
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    /** The replicas of {@code master}. */
    public List<Node> replicasOf(Node master) {
        String masterId = master.id();
        return running().stream().filter(node -> {
            String[] myself = myselfLine(node);
            return myself[2].contains("slave") && myself[3].equals(masterId);
        }).toList();
    }

    /** Every node's {@code PUBSUB SHARDNUMSUB channel} (each node counts its own subscribers only), by port. */
    public Map<Integer, Long> shardSubscribers(String channel) {
        Map<Integer, Long> counts = new HashMap<>();
        for (Node node : running()) {
            Map<String, Long> numsub = node.commands().pubsubShardNumsub(channel);
            counts.put(node.port(), numsub.getOrDefault(channel, 0L));
        }
        return counts;
    }

    /**
     * {@code CLUSTER FAILOVER} on a replica of the master that owns {@code channel}'s slot, and waits until every
     * node sees that replica as the slot's master. Returns the new master.
     */
    public Node failover(String channel) {
        Node master = masterOf(channel);
        Node replica = replicasOf(master).getFirst();
        String replicaId = replica.id();
        // a manual failover waits for the replica to catch up with its master, and gives up after 5 s: a replica still
        // in its first sync (a cluster just created, a node just restarted) would never be promoted
        await("replica " + replica.address() + " replicating its master", () -> "up".equals(
                infoFields(replica.commands().info("replication")).get("master_link_status")));
        // Redis drops a manual failover that did not finish within 5 s (CLUSTER_MF_TIMEOUT) without a word, as when the
        // master was slow to pause its clients on a loaded machine: ask again until the replica says it was promoted
        long deadline = System.nanoTime() + SETTLE.toNanos();
        do {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis Cluster: replica " + replica.address() + " not promoted by "
                        + "CLUSTER FAILOVER within " + SETTLE);
            }
            replica.commands().clusterFailover(false);
        } while (!within(MANUAL_FAILOVER_TIMEOUT, () -> myselfLine(replica)[2].contains("master")));
        int slot = SlotHash.getSlot(channel);
        await("replica " + replica.address() + " owns slot " + slot + " on every node",
                () -> running().stream().allMatch(node -> slotOwner(node, slot).equals(replicaId)));
        await("the old master is a replica", () -> myselfLine(master)[2].contains("slave"));
        return replica;
    }

    /**
     * Moves {@code channel}'s slot to another master as {@code redis-cli --cluster reshard} does (importing,
     * migrating, the keys, then the new owner on the target, the source and the others), and waits until every node
     * agrees. Returns the new owner.
     */
    public Node migrate(String channel) {
        int slot = SlotHash.getSlot(channel);
        Node source = masterOf(channel);
        Node target = masters().stream().filter(node -> node != source).findFirst().orElseThrow();
        String sourceId = source.id();
        String targetId = target.id();
        target.commands().clusterSetSlotImporting(slot, sourceId);
        source.commands().clusterSetSlotMigrating(slot, targetId);
        List<String> keys;
        while (!(keys = source.commands().clusterGetKeysInSlot(slot, 100)).isEmpty()) {
            source.commands().migrate("127.0.0.1", target.port(), 0, 5000,
                    MigrateArgs.Builder.keys(keys).replace());
        }
        target.commands().clusterSetSlotNode(slot, targetId);
        source.commands().clusterSetSlotNode(slot, targetId);
        for (Node other : masters()) {
            if (other != source && other != target) {
                other.commands().clusterSetSlotNode(slot, targetId);
            }
        }
        await("every node sees slot " + slot + " on " + target.address(),
                () -> running().stream().allMatch(node -> slotOwner(node, slot).equals(targetId)));
        return target;
    }

    /** The masters now. */
    public List<Node> masters() {
        return running().stream().filter(node -> myselfLine(node)[2].contains("master")).toList();
    }

    /** The nodes whose process runs. */
    public List<Node> running() {
        return nodes.stream().filter(Node::alive).toList();
    }

    /** CPU seconds all nodes used so far. */
    public double cpuSeconds() {
        return running().stream().mapToDouble(Node::cpuSeconds).sum();
    }

    @Override
    public void close() {
        cluster.close();
        clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        nodes.forEach(Node::close);
        deleteQuietly(dir);
    }

    private void awaitAgreement() {
        await("cluster_state:ok on every node, 6 nodes known, every slot assigned", () -> nodes.stream().allMatch(node -> {
            Map<String, String> info = infoFields(node.commands().clusterInfo());
            return "ok".equals(info.get("cluster_state"))
                    && String.valueOf(nodes.size()).equals(info.get("cluster_known_nodes"))
                    && "16384".equals(info.get("cluster_slots_ok"));
        }));
        await("every replica attached", () -> nodes.stream()
                .filter(node -> myselfLine(node)[2].contains("slave"))
                .count() == nodes.size() / 2);
    }

    private static String slotOwner(Node node, int slot) {
        for (String line : node.commands().clusterNodes().split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].contains("master") && ownsSlot(f, slot)) {
                return f[0];
            }
        }
        return "";
    }

    private static boolean ownsSlot(String[] fields, int slot) {
        for (int i = 8; i < fields.length; i++) {
            String range = fields[i];
            if (range.startsWith("[")) {
                continue;
            }
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    private static String[] myselfLine(Node node) {
        for (String line : node.commands().clusterNodes().split("\n")) {
            if (line.contains("myself")) {
                return line.split(" ");
            }
        }
        throw new IllegalStateException("no myself line on " + node.address());
    }

    static Map<String, String> infoFields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** Whether {@code condition} held within {@code time} (checked every 50 ms). */
    private static boolean within(Duration time, BooleanSupplier condition) {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // a node busy with the failover may not answer for a moment
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return false;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        throw new IllegalStateException("Redis Cluster: timed out waiting for " + what, last);
    }

    private static Node launch(Path dir, int port, boolean cluster) {
        Path nodeDir = dir.resolve(String.valueOf(port));
        Node node = new Node(port, nodeDir, cluster, spawn(port, nodeDir, cluster));
        await("redis-server on port " + port, () -> "PONG".equals(node.commands().ping()));
        return node;
    }

    private static Process spawn(int port, Path nodeDir, boolean cluster) {
        try {
            Files.createDirectories(nodeDir);
            List<String> command = new ArrayList<>(List.of(binary("redis-server").orElseThrow(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", nodeDir.toString(),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "redis.log"));
            if (cluster) {
                command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000", "--cluster-replica-validity-factor", "0"));
            }
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("stdout.txt").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port whose cluster bus port (port + 10000) is free too. */
    private static int freeClusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair found");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> binary(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
