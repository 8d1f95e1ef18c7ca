package io.agentserver.service.autogpt;

import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.RedisEventBroker;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;

/**
 * Not run by the build. What the subscription scheme costs, outside any load generator:
 * <ol>
 *   <li>Redis CPU per PUBLISH (from {@code INFO cpu}) with 1,000 and 10,000 watched executions, for one
 *       {@code PSUBSCRIBE} per watched execution (the scheme before issue 8) and for the replica-wide
 *       {@code execution_event/*} + {@code notification_event/*} that {@link ExecutionFanOut} holds now;</li>
 *   <li>this replica's CPU per message it receives for an execution no local socket watches (Lettuce's read and
 *       the fan-out's routing), with Redis itself publishing in a Lua loop so that no client CPU is counted.</li>
 * </ol>
 * Needs {@code redis-server} on PATH. Run:
 * {@code java -cp service/target/classes:service/target/test-classes:$(cat cp.txt) io.agentserver.service.autogpt.RoutingCostBench}.
 */
public final class RoutingCostBench {

    private static final int PUBLISHES = 40_000;
    private static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("routing-bench");
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::destroy));
        String uri = "redis://127.0.0.1:" + port;
        RedisClient client = RedisClient.create(uri);
        try {
            StatefulRedisConnection<String, String> connection = connect(client);
            String filler = "y".repeat(100);
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int watched : new int[] {1_000, 10_000}) {
                    double perKey = publishCost(uri, connection, watched, true, filler);
                    double wide = publishCost(uri, connection, watched, false, filler);
                    if (round == 1) {
                        System.out.printf("watched=%,d  Redis CPU per PUBLISH: per-execution patterns %.1f µs, "
                                + "replica-wide pattern %.1f µs%n", watched, perKey, wide);
                    }
                }
            }
            for (int round = 0; round < 2; round++) {
                double unwatched = receiveCost(uri, connection, 10_000, 200_000, filler);
                if (round == 1) {
                    System.out.printf("replica CPU per received message no local socket watches "
                            + "(10,000 keys watched here): %.2f µs%n", unwatched);
                }
            }
        } finally {
            client.shutdown();
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static StatefulRedisConnection<String, String> connect(RedisClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return client.connect();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Redis CPU µs per PUBLISH to watched executions (each one delivered), under the given scheme. */
    private static double publishCost(String uri, StatefulRedisConnection<String, String> connection, int watched,
                                      boolean perExecutionPatterns, String filler) throws Exception {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        AtomicLong delivered = new AtomicLong();
        try (EventBroker broker = new RedisEventBroker(BrokerSettings.redis(uri))) {
            List<Subscription> held = new ArrayList<>();
            RedisChannels channels = RedisChannels.defaults();
            if (perExecutionPatterns) {
                for (int e = 0; e < watched; e++) {
                    held.add(broker.subscribePattern(channels.executionPattern("u" + e, "e" + e),
                            (channel, message) -> delivered.incrementAndGet()));
                }
            } else {
                ExecutionFanOut fanOut = new ExecutionFanOut(broker, channels, new SubscriptionCodec(), metrics);
                for (int e = 0; e < watched; e++) {
                    fanOut.subscribeExecution(sink("u" + e, delivered), "e" + e);
                }
            }
            List<String> messages = new ArrayList<>(watched);
            for (int e = 0; e < watched; e++) {
                messages.add(envelope(nodeExecutionEvent("u" + e, "g", "e" + e, "n", filler)));
            }
            RedisAsyncCommands<String, String> async = connection.async();
            double before = redisCpuSeconds(connection);
            List<RedisFuture<Long>> replies = new ArrayList<>(BATCH);
            for (int i = 0; i < PUBLISHES; i++) {
                int e = (int) ((i * 7919L) % watched);
                replies.add(async.publish(executionChannel("u" + e, "g", "e" + e), messages.get(e)));
                if (replies.size() == BATCH) {
                    for (RedisFuture<Long> reply : replies) {
                        reply.get(30, TimeUnit.SECONDS);
                    }
                    replies.clear();
                }
            }
            for (RedisFuture<Long> reply : replies) {
                reply.get(30, TimeUnit.SECONDS);
            }
            double after = redisCpuSeconds(connection);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() < PUBLISHES && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (delivered.get() != PUBLISHES) {
                throw new IllegalStateException("delivered " + delivered.get() + " of " + PUBLISHES);
            }
            held.forEach(Subscription::close);
            return (after - before) * 1e6 / PUBLISHES;
        }
    }

    /** This JVM's CPU µs per message of an execution nobody here watches, published by Redis itself. */
    private static double receiveCost(String uri, StatefulRedisConnection<String, String> connection, int watched,
                                      int messages, String filler) throws Exception {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        AtomicLong delivered = new AtomicLong();
        try (EventBroker broker = new RedisEventBroker(BrokerSettings.redis(uri))) {
            ExecutionFanOut fanOut = new ExecutionFanOut(broker, RedisChannels.defaults(), new SubscriptionCodec(),
                    metrics);
            for (int e = 0; e < watched; e++) {
                fanOut.subscribeExecution(sink("u" + e, delivered), "e" + e);
            }
            // the last message goes to a watched execution: when it arrives, every other one was handled
            String script = "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', 'execution_event/other' .. (i % 5000)"
                    + " .. '/g/x' .. i, ARGV[2]) end redis.call('PUBLISH', KEYS[1], ARGV[3]) return 1";
            String unwatched = envelope(nodeExecutionEvent("other", "g", "x", "n", filler));
            String last = envelope(nodeExecutionEvent("u0", "g", "e0", "n", filler));
            // batches of 5,000 (~3.5 MB): a Lua loop is atomic, and Redis drops a subscriber whose pending output
            // passes client-output-buffer-limit (pubsub 32 MB)
            int batch = 5_000;
            long cpuBefore = processCpuNanos();
            for (int sent = 0; sent < messages; sent += batch) {
                long expected = delivered.get() + 1;
                connection.sync().eval(script, ScriptOutputType.INTEGER,
                        new String[] {executionChannel("u0", "g", "e0")}, String.valueOf(batch), unwatched, last);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (delivered.get() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (delivered.get() < expected) {
                    throw new IllegalStateException("the batch's last message never arrived");
                }
            }
            long cpuAfter = processCpuNanos();
            return (cpuAfter - cpuBefore) / 1e3 / messages;
        }
    }

    private static ExecutionSubscriber sink(String user, AtomicLong delivered) {
        return new ExecutionSubscriber() {
            @Override
            public String connectionId() {
                return "bench-" + user;
            }

            @Override
            public String userId() {
                return user;
            }

            @Override
            public void deliver(IngestedEvent event, EncodedFrame frame) {
                delivered.incrementAndGet();
            }
        };
    }

    private static double redisCpuSeconds(StatefulRedisConnection<String, String> connection) {
        double total = 0;
        for (String line : connection.sync().info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
