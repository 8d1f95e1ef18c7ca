package io.agentserver.bench;

import io.agentserver.bench.measure.Metric;
import io.agentserver.bench.measure.ProcessStats;
import io.agentserver.bench.measure.Result;
import io.agentserver.bench.measure.Table;
import io.agentserver.bench.sut.OurSystem;
import io.agentserver.bench.sut.RedisClusterProcess;
import io.agentserver.bench.sut.ShardedSystem;
import io.agentserver.bench.sut.SystemUnderTest;
import io.agentserver.bench.workload.FanOutWorkload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Workload B (N executions × 1 subscriber, events at a steady rate) in AutoGPT's two schemes, side by side:
 * <ul>
 *   <li>{@code classic}: {@code AUTOGPT_BUS=classic} on one Redis, the executor {@code PUBLISH}es;</li>
 *   <li>{@code sharded}: {@code AUTOGPT_BUS=sharded} on a Redis Cluster of 3 masters and 3 replicas, the executor
 *       {@code SPUBLISH}es each event to the execution's and the graph's channel; subscriptions held on the
 *       replicas too (lossless failover, the default);</li>
 *   <li>{@code sharded-no-standby}: the same with {@code REDIS_REPLICA_DASH_STANDBY=false};</li>
 *   <li>{@code classic-cluster}: the classic scheme on the same cluster (each PUBLISH is copied to all 6 nodes).</li>
 * </ul>
 * {@code java -cp bench/target/bench.jar io.agentserver.bench.ShardedBench [--executions 1000,10000]
 * [--targets classic,sharded,sharded-no-standby] [--b-rate 2000] [--repeat 1] …} (the flags of {@code bench b}).
 */
public final class ShardedBench {

    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(5);

    private ShardedBench() {
    }

    /**
     * Redis CPU per event while the executor publishes and nobody listens (executions nobody watches), above idle:
     * what AutoGPT's publishing costs by itself in this layout, before any gateway subscribes.
     */
    private static double publishingAloneMicrosPerEvent(SystemUnderTest system, double rate, int payloadBytes,
                                                        double idlePercent) {
        String filler = "x".repeat(payloadBytes);
        long interval = (long) (1e9 / rate);
        ProcessStats.Sample before = ProcessStats.sample(system.brokerPids());
        long start = System.nanoTime();
        long events = 0;
        while (System.nanoTime() - start < IDLE_SAMPLE.toNanos()) {
            long due = start + events * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int exec = 1_000_000 + (int) (events % 1000);
            String user = FanOutWorkload.user(exec);
            String graph = FanOutWorkload.graph(exec);
            String id = FanOutWorkload.execId(exec);
            system.publisher().publish(user, graph, id, "{\"user_id\":\"" + user + "\",\"graph_id\":\"" + graph
                    + "\",\"graph_version\":1,\"graph_exec_id\":\"" + id + "\",\"node_exec_id\":\"n" + events
                    + "\",\"node_id\":\"n\",\"block_id\":\"b\",\"status\":\"COMPLETED\",\"input_data\":{},"
                    + "\"output_data\":{\"filler\":[\"" + filler + "\"]},\"add_time\":\"2026-01-01T00:00:00Z\","
                    + "\"queue_time\":null,\"start_time\":null,\"end_time\":null,"
                    + "\"event_type\":\"node_execution_update\"}");
            events++;
        }
        ProcessStats.Sample after = ProcessStats.sample(system.brokerPids());
        double busyPercent = after.cpuPercentSince(before);
        double seconds = (after.wallNanos() - before.wallNanos()) / 1e9;
        return (busyPercent - idlePercent) / 100 * 1e6 * seconds / events;
    }

    /** Redis CPU while nothing is published (a cluster's nodes ping each other and replicate): the floor. */
    private static double idleBrokerCpuPercent(SystemUnderTest system) throws InterruptedException {
        ProcessStats.Sample before = ProcessStats.sample(system.brokerPids());
        Thread.sleep(IDLE_SAMPLE.toMillis());
        return ProcessStats.sample(system.brokerPids()).cpuPercentSince(before);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(Arrays.asList(args));
        List<String> targets = o.list("targets", "classic,sharded,sharded-no-standby,classic-cluster");
        Path jar = Path.of(o.string("server-jar", "service/target/agent-server.jar"));
        String redis = o.string("redis-server", "redis-server");
        String missing = RedisClusterProcess.unavailable(redis);
        if (missing != null) {
            System.err.println("skipped: " + missing);
            return;
        }
        String heap = o.string("server-heap", "512m");
        String javaOpts = o.string("server-java-opts", "");
        double rate = o.decimal("b-rate", 2000);
        int repeat = o.integer("repeat", 1);
        Path workDir = Files.createTempDirectory("agent-server-sharded-bench");
        Table table = new Table(targets);
        for (int executions : o.list("executions", "1000,10000").stream().mapToInt(Integer::parseInt).toArray()) {
            FanOutWorkload workload = new FanOutWorkload(new FanOutWorkload.Plan(
                    "B: %d executions x 1 subscriber, %.0f events/s, classic on 1 Redis vs sharded on 3 masters"
                            .formatted(executions, rate),
                    executions, 1, rate, 0, 1, o.seconds("warmup", 5), o.seconds("duration", 20),
                    o.seconds("drain", 5), o.integer("payload-bytes", 100), 0, o.integer("concurrency", 64),
                    o.integer("client-threads", 1)));
            System.err.println("== " + workload.title());
            for (String target : targets) {
                List<Result> runs = new ArrayList<>();
                for (int r = 0; r < repeat; r++) {
                    try (SystemUnderTest system = switch (target) {
                        case "classic" -> OurSystem.start(1, jar, heap, javaOpts, redis, workDir);
                        case "sharded" -> ShardedSystem.start(target, 1, executions, true, true, jar, heap, javaOpts,
                                redis, workDir);
                        case "sharded-no-standby" -> ShardedSystem.start(target, 1, executions, true, false, jar, heap,
                                javaOpts, redis, workDir);
                        case "classic-cluster" -> ShardedSystem.start(target, 1, executions, false, true, jar, heap,
                                javaOpts, redis, workDir);
                        default -> throw new IllegalArgumentException("unknown target " + target
                                + " (classic, sharded, sharded-no-standby, classic-cluster)");
                    }) {
                        double idle = idleBrokerCpuPercent(system);
                        double alone = publishingAloneMicrosPerEvent(system, rate, o.integer("payload-bytes", 100), idle);
                        Result result = workload.run(system);
                        result.put("Redis CPU µs per event above idle, the executor publishing alone (nobody"
                                + " subscribed)", "%.2f", alone);
                        Double busy = result.values().get(new Metric("Redis CPU %", "%.1f"));
                        result.put("Redis CPU % before the run, idle (cluster and replication chatter)", "%.1f", idle);
                        if (busy != null) {
                            result.put("Redis CPU µs per event above idle, all nodes", "%.2f",
                                    (busy - idle) / 100 * 1e6 / rate);
                        }
                        runs.add(result);
                    } catch (Exception e) {
                        System.err.println("  [" + target + "] run failed: " + e);
                        runs.add(new Result().remark("run failed: " + e));
                    }
                }
                table.add(workload.title(), target, Result.median(runs));
            }
        }
        System.out.println();
        System.out.println("Measured " + Instant.now() + ", " + (repeat == 1 ? "one run" : "median of " + repeat + " runs")
                + " per cell; " + Runtime.getRuntime().availableProcessors() + " cores; Redis CPU is summed over"
                + " every Redis process (1 or 6); its per-event figure covers 1 PUBLISH (classic) or 2 SPUBLISH"
                + " (sharded) per event");
        System.out.println();
        System.out.print(table.markdown());
    }
}
