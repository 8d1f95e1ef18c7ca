package io.agentserver.bench;

import io.agentserver.bench.measure.Result;
import io.agentserver.bench.measure.Table;
import io.agentserver.bench.sut.NchanSystem;
import io.agentserver.bench.sut.NginxNchan;
import io.agentserver.bench.sut.NodeGateway;
import io.agentserver.bench.sut.NodeSystem;
import io.agentserver.bench.sut.OurSystem;
import io.agentserver.bench.sut.SystemUnderTest;
import io.agentserver.bench.workload.AguiStreamsWorkload;
import io.agentserver.bench.workload.FanOutWorkload;
import io.agentserver.bench.workload.IdleWorkload;
import io.agentserver.bench.workload.Workload;
import io.agentserver.bench.workload.XAgentRunsWorkload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code java -jar bench/target/bench.jar <a|b|c|d|e|f|all> [--flag value …]} runs workloads against our
 * server, nchan and the Node ws+Redis gateway, each started fresh per run as child processes on loopback, and
 * prints one table per workload with the systems side by side;
 * {@code java -jar bench/target/bench.jar jmh [JMH options]} runs the microbenchmarks.
 */
public final class Main {

    private static final String USAGE = """
            usage: bench <a|b|c|d|e|f|all> [--flag value ...]   |   bench jmh [JMH options]
              a  N /ws subscribers on one execution        --subscribers 1000 --rate 100
              b  N executions x 1 subscriber, per N        --executions 1000,10000 --b-rate 2000
              c  N idle authenticated sockets              --connections 10000 --hold 5 --warmup-connections 500
              d  N concurrent XAgent demo runs, no delay   --runs 100 --subtasks 3 --inner 3 (ours only)
                 (--d-delay-ms 1000: paced runs, G's shape over XAgent sockets)
              e  as a, plus one subscriber that never reads --e-payload-bytes 8000
              f  as a, split over two replicas (ours only)
              g  N AG-UI streams: step stored → SSE written, memory per stream --streams 1000 --g-delay-ms 1000
                 --memory-runs 100 (ours only; --server-java-opts "-Dhub.max-connections-per-user=64" if needed)
            common: --warmup 5 --duration 20 --drain 5 (seconds) --payload-bytes 100 --concurrency 64
                    --client-threads 1 --targets ours,nchan,node --repeat 1 (median of N fresh runs)
                    --server-jar service/target/agent-server.jar --server-heap 512m (-Xms = -Xmx, pre-touched;
                    "default" for the JVM's sizing) --server-java-opts "" --redis-server redis-server
                    --nginx nginx --node node --keep-work-dir false
            """;

    /** Enough for 10,000 sockets at the baseline's 36 KB of heap each, with room for the collector. */
    private static final String DEFAULT_HEAP = "512m";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        String command = args[0].toLowerCase(Locale.ROOT);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (command.equals("jmh")) {
            org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            return;
        }
        Options options = Options.parse(rest);
        List<Workload> workloads = workloads(command, options);
        List<String> targets = options.list("targets", "ours,nchan,node");
        Path jar = Path.of(options.string("server-jar", "service/target/agent-server.jar"));
        if (targets.contains("ours") && !Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " not found: build with `mvn -B -ntp -pl bench -am verify "
                    + "-DskipTests` or pass --server-jar");
        }
        Path workDir = Files.createTempDirectory("agent-server-bench");
        System.err.println(machine());
        System.err.println("work dir " + workDir);
        Table table = new Table(targets);
        int repeat = options.integer("repeat", 1);
        for (Workload workload : workloads) {
            System.err.println("== " + workload.title());
            for (String target : targets) {
                if (!target.equals("ours") && workload.oursOnly()) {
                    continue;
                }
                String missing = unavailable(target, options);
                if (missing != null) {
                    System.err.println("  [" + target + "] skipped: " + missing);
                    continue;
                }
                List<Result> runs = new ArrayList<>();
                for (int r = 0; r < repeat; r++) {
                    try (SystemUnderTest system = start(target, workload, options, jar, workDir)) {
                        runs.add(workload.run(system));
                    } catch (Exception e) {
                        System.err.println("  [" + target + "] run failed: " + e);
                        runs.add(new Result().remark("run failed: " + e));
                    }
                }
                Result median = Result.median(runs);
                String heap = options.string("server-heap", DEFAULT_HEAP);
                if (target.equals("ours") && !heap.equals("default")) {
                    median.put("server heap MB (-Xms = -Xmx, pre-touched)", "%.0f", megabytes(heap));
                }
                table.add(workload.title(), target, median);
            }
        }
        System.out.println();
        System.out.println("Measured " + Instant.now() + ", " + (repeat == 1 ? "one run" : "median of " + repeat + " runs")
                + " per cell; " + machine());
        System.out.println();
        System.out.print(table.markdown());
        if (!Boolean.parseBoolean(options.string("keep-work-dir", "false"))) {
            deleteRecursively(workDir);
        }
    }

    private static String unavailable(String target, Options options) {
        return switch (target) {
            case "nchan" -> NginxNchan.unavailable(options.string("nginx", "nginx"));
            case "node" -> NodeGateway.unavailable(options.string("node", "node"));
            default -> null;
        };
    }

    private static SystemUnderTest start(String target, Workload workload, Options options, Path jar, Path workDir) {
        String redis = options.string("redis-server", "redis-server");
        return switch (target) {
            case "ours" -> OurSystem.start(workload.replicas(), jar, options.string("server-heap", DEFAULT_HEAP),
                    options.string("server-java-opts", ""), redis, workDir);
            case "nchan" -> NchanSystem.start(options.string("nginx", "nginx"), workDir);
            case "node" -> NodeSystem.start(options.string("node", "node"), redis, workDir);
            default -> throw new IllegalArgumentException("unknown target " + target + " (ours, nchan, node)");
        };
    }

    /** {@code 512m}, {@code 1g} or {@code 524288k} in MB. */
    static double megabytes(String size) {
        String lower = size.toLowerCase(Locale.ROOT);
        double number = Double.parseDouble(lower.replaceAll("[^0-9.]", ""));
        return switch (lower.charAt(lower.length() - 1)) {
            case 'g' -> number * 1024;
            case 'm' -> number;
            case 'k' -> number / 1024;
            default -> number / (1024 * 1024);
        };
    }

    static List<Workload> workloads(String command, Options o) {
        int subscribers = o.integer("subscribers", 1000);
        double rate = o.decimal("rate", 100);
        double bRate = o.decimal("b-rate", 2000);
        Duration warmup = o.seconds("warmup", 5);
        Duration duration = o.seconds("duration", 20);
        Duration drain = o.seconds("drain", 5);
        int payload = o.integer("payload-bytes", 100);
        int concurrency = o.integer("concurrency", 64);
        int threads = o.integer("client-threads", 1);
        Workload a = new FanOutWorkload(new FanOutWorkload.Plan(
                "A: %d subscribers on 1 execution, %.0f events/s".formatted(subscribers, rate),
                1, subscribers, rate, 0, 1, warmup, duration, drain, payload, 0, concurrency, threads));
        // Redis CPU per PUBLISH must stay flat as watched executions grow: B runs once per size.
        List<Workload> b = o.list("executions", "1000,10000").stream().map(Integer::parseInt)
                .<Workload>map(executions -> new FanOutWorkload(new FanOutWorkload.Plan(
                        "B: %d executions x 1 subscriber, %.0f events/s".formatted(executions, bRate),
                        executions, 1, bRate, 0, 1, warmup, duration, drain, payload, 0, concurrency, threads)))
                .toList();
        Workload c = new IdleWorkload(new IdleWorkload.Plan(
                "C: %d idle authenticated sockets".formatted(o.integer("connections", 10000)),
                o.integer("connections", 10000), o.integer("warmup-connections", 500), concurrency,
                o.seconds("hold", 5), threads));
        Workload d = new XAgentRunsWorkload(new XAgentRunsWorkload.Plan(
                (o.integer("d-delay-ms", 0) == 0 ? "D: %d concurrent XAgent demo runs, no step delay"
                        .formatted(o.integer("runs", 100))
                        : "D: %d concurrent XAgent demo runs, %d ms step delay".formatted(o.integer("runs", 100),
                        o.integer("d-delay-ms", 0))),
                o.integer("runs", 100), o.integer("subtasks", 3), o.integer("inner", 3), duration, threads,
                o.integer("d-delay-ms", 0)));
        // Kernel socket buffers hold MBs for a socket that never reads: with A's ~600-byte frames the server would
        // not notice it within a minute, so the slow socket watches an execution of its own with larger events.
        int ePayload = o.integer("e-payload-bytes", 8000);
        Workload e = new FanOutWorkload(new FanOutWorkload.Plan(
                "E: A plus 1 subscriber that never reads (its own execution, %d-byte events)".formatted(ePayload),
                1, subscribers, rate, 1, 1, warmup, duration, drain, payload, ePayload, concurrency, threads));
        Workload f = new FanOutWorkload(new FanOutWorkload.Plan(
                "F: A split over 2 replicas",
                1, subscribers, rate, 0, 2, warmup, duration, drain, payload, 0, concurrency, threads));
        Workload g = new AguiStreamsWorkload(new AguiStreamsWorkload.Plan(
                "G: %d AG-UI streams (one demo run each), then %d rejoin streams held".formatted(
                        o.integer("streams", 1000), o.integer("streams", 1000)),
                o.integer("streams", 1000), o.integer("subtasks", 2), o.integer("inner", 2),
                o.integer("g-delay-ms", 1000), o.integer("memory-runs", 100), o.seconds("hold", 5)));
        return switch (command) {
            case "a" -> List.of(a);
            case "g" -> List.of(g);
            case "b" -> b;
            case "c" -> List.of(c);
            case "d" -> List.of(d);
            case "e" -> List.of(e);
            case "f" -> List.of(f);
            case "all" -> Stream.of(List.of(a), b, List.of(c, d, e, f, g)).flatMap(List::stream).toList();
            default -> throw new IllegalArgumentException("unknown command " + command + "\n" + USAGE);
        };
    }

    private static String machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException ignored) {
            // not Linux
        }
        String load = "";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException ignored) {
            // not Linux
        }
        return "%d cores (%s), load average %s, Java %s".formatted(Runtime.getRuntime().availableProcessors(), cpu,
                load, Runtime.version());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
