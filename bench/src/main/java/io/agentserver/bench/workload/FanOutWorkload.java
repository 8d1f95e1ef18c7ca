package io.agentserver.bench.workload;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.Stamp;
import io.agentserver.bench.client.WsClient;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.measure.Latencies;
import io.agentserver.bench.measure.ProcessStats;
import io.agentserver.bench.measure.Result;
import io.agentserver.bench.sut.Publisher;
import io.agentserver.bench.sut.SystemUnderTest;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Events published at a steady rate to {@code executions} executions, each watched by
 * {@code subscribersPerExecution} sockets spread over the replicas (A, B, F), optionally with sockets that
 * never read (E). Counts and latencies only cover events sent during the measured window, after a warm-up.
 */
public final class FanOutWorkload implements Workload {

    /**
     * What to run. {@code slow} extra sockets of user 0 never read; they watch an execution of their own that
     * gets an event of {@code slowPayloadBytes} with every event of the others, so that their kernel buffers
     * and server queue fill within a short run while the others' load stays that of A.
     */
    public record Plan(String title, int executions, int subscribersPerExecution, double eventsPerSecond, int slow,
                       int replicas, Duration warmup, Duration duration, Duration drain, int payloadBytes,
                       int slowPayloadBytes, int concurrency, int clientThreads) {
    }

    /** The never-reading socket's kernel buffer is small so that the server feels it within a short run. */
    private static final int SLOW_RECEIVE_BUFFER = 4096;

    private static final int SLOW_EXEC = -1;

    private final Plan plan;

    public FanOutWorkload(Plan plan) {
        this.plan = plan;
    }

    @Override
    public String title() {
        return plan.title();
    }

    @Override
    public int replicas() {
        return plan.replicas();
    }

    @Override
    public boolean oursOnly() {
        return plan.replicas() > 1;
    }

    @Override
    public Result run(SystemUnderTest system) throws Exception {
        Counting counting = new Counting();
        SlowWatch slowWatch = new SlowWatch();
        List<Opener.Spec> specs = new ArrayList<>();
        int total = plan.executions() * plan.subscribersPerExecution();
        for (int k = 0; k < total + plan.slow(); k++) {
            int exec = k < total ? k % plan.executions() : SLOW_EXEC;
            specs.add(new Opener.Spec(system.subscriberUri(k % system.replicas(), user(exec), execId(exec)),
                    system.subscribe(execId(exec)), k < total ? counting : slowWatch, k < total ? 0 : SLOW_RECEIVE_BUFFER));
        }
        try (WsClient client = new WsClient(plan.clientThreads())) {
            Opener.Opened opened = Opener.open(client, specs, plan.concurrency());
            log(system, "opened " + opened.connections().size() + " sockets in " + opened.nanos() / 1_000_000 + " ms"
                    + (opened.failed() > 0 ? ", " + opened.failed() + " failed: " + opened.firstFailure() : ""));
            for (int k = total; k < specs.size(); k++) {
                if (opened.bySpec()[k] != null) {
                    slowWatch.connections.add(opened.bySpec()[k]);
                }
            }
            slowWatch.connections.forEach(WsConnection::pauseReading);
            Map<String, Double> facts = system.busFacts();
            Result result = measure(system, counting, opened);
            facts.forEach((label, value) -> result.put(label, "%.0f", value));
            if (plan.slow() > 0) {
                reportSlow(system, slowWatch, result);
            }
            Opener.closeAll(opened.connections());
            return result;
        }
    }

    private Result measure(SystemUnderTest system, Counting counting, Opener.Opened opened) throws InterruptedException {
        Publisher publisher = system.publisher();
        EventFactory events = new EventFactory(plan.payloadBytes());
        EventFactory slowEvents = plan.slow() > 0 ? new EventFactory(plan.slowPayloadBytes()) : null;
        AtomicLong nextSeq = new AtomicLong();
        long intervalNanos = (long) (1e9 / plan.eventsPerSecond());
        long warmupEnd = System.nanoTime() + plan.warmup().toNanos();
        publish(publisher, events, slowEvents, nextSeq, intervalNanos, warmupEnd);

        ProcessStats.Sample server0 = ProcessStats.sample(system.serverPids());
        ProcessStats.Sample self0 = ProcessStats.self();
        List<Long> broker = system.brokerPids();
        ProcessStats.Sample broker0 = broker.isEmpty() ? null : ProcessStats.sample(broker);
        List<ProcessStats.Sample> nodes0 = broker.stream().map(ProcessStats::sample).toList();
        long from = nextSeq.get();
        counting.latencies.reset();
        counting.from = from;
        long framesBefore = counting.frames.sum();
        long measureStart = System.nanoTime();
        publish(publisher, events, slowEvents, nextSeq, intervalNanos, measureStart + plan.duration().toNanos());
        long to = nextSeq.get();
        counting.to = to;
        long measureNanos = System.nanoTime() - measureStart;
        ProcessStats.Sample server1 = ProcessStats.sample(system.serverPids());
        ProcessStats.Sample self1 = ProcessStats.self();
        ProcessStats.Sample broker1 = broker.isEmpty() ? null : ProcessStats.sample(broker);
        List<ProcessStats.Sample> nodes1 = broker.stream().map(ProcessStats::sample).toList();

        long expected = (to - from) * plan.subscribersPerExecution();
        long drainEnd = System.nanoTime() + plan.drain().toNanos();
        while (counting.delivered.sum() < expected && System.nanoTime() < drainEnd) {
            Thread.sleep(20);
        }
        long delivered = counting.delivered.sum();
        long frames = counting.frames.sum() - framesBefore;
        Histogram latency = counting.latencies.snapshot();
        double seconds = measureNanos / 1e9;

        Result result = new Result()
                .put("sockets open", "%.0f", opened.connections().size())
                .put("handshakes per s (with subscribe)", "%.0f", opened.perSecond())
                .put("events published per s", "%.0f", (to - from) / seconds)
                .put("deliveries per s", "%.0f", delivered / seconds)
                .put("loss %", "%.3f", expected == 0 ? Double.NaN : 100.0 * (expected - delivered) / expected)
                .put("latency p50 ms", "%.2f", Latencies.millis(latency, 50))
                .put("latency p99 ms", "%.2f", Latencies.millis(latency, 99))
                .put("latency p99.9 ms", "%.2f", Latencies.millis(latency, 99.9))
                .put("latency max ms", "%.2f", latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0)
                .put("server CPU %", "%.1f", server1.cpuPercentSince(server0))
                .put("server CPU µs per delivery", "%.2f", delivered == 0 ? Double.NaN : server1.cpuSince(server0) / 1000.0 / delivered)
                .put("server RSS MB", "%.1f", server1.rssKb() / 1024.0);
        if (broker0 != null) {
            result.put("Redis CPU %", "%.1f", broker1.cpuPercentSince(broker0))
                    .put("Redis CPU µs per PUBLISH", "%.2f", to == from ? Double.NaN : broker1.cpuSince(broker0) / 1000.0 / (to - from));
            if (broker.size() > 1) {
                double busiest = 0;
                for (int i = 0; i < broker.size(); i++) {
                    busiest = Math.max(busiest, nodes1.get(i).cpuPercentSince(nodes0.get(i)));
                }
                result.put("Redis CPU % of the busiest node", "%.1f", busiest);
            }
        }
        result.put("bench CPU %", "%.1f", self1.cpuPercentSince(self0))
                .put("bench CPU µs per frame", "%.2f", frames == 0 ? Double.NaN : self1.cpuSince(self0) / 1000.0 / frames)
                .put("bench kernel CPU µs per frame (part of the above)", "%.2f",
                        frames == 0 ? Double.NaN : self1.systemSince(self0) / 1000.0 / frames)
                .put("sockets closed by server", "%.0f", counting.closed.sum());
        if (publisher.failures() > 0) {
            result.remark(publisher.failures() + " publishes failed");
        }
        if (opened.failed() > 0) {
            result.remark(opened.failed() + " sockets failed to open: " + opened.firstFailure());
        }
        return result;
    }

    private void reportSlow(SystemUnderTest system, SlowWatch slowWatch, Result result) throws InterruptedException {
        OptionalLong heap = system.heapAfterGcKb(0);
        if (heap.isPresent()) {
            result.put("server heap after GC MB (slow socket still held)", "%.1f",
                    heap.getAsLong() / 1024.0);
        }
        // Reading again lets the close frame queued behind the unread frames (if any) arrive.
        slowWatch.connections.forEach(WsConnection::resumeReading);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (slowWatch.connections.stream().anyMatch(c -> c.closeCode() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (slowWatch.connections.isEmpty()) {
            result.remark("the slow socket did not open");
            return;
        }
        WsConnection first = slowWatch.connections.getFirst();
        result.put("slow socket close code (0 = still open)", "%.0f", first.closeCode())
                .put("slow socket frames read after resuming", "%.0f", slowWatch.frames.sum());
        if (first.closeCode() == 0) {
            result.remark("the socket that never reads was not closed");
        }
    }

    private void publish(Publisher publisher, EventFactory events, EventFactory slowEvents, AtomicLong nextSeq,
                         long intervalNanos, long until) {
        long start = System.nanoTime();
        for (long i = 0; ; i++) {
            long due = start + i * intervalNanos;
            if (due >= until) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long seq = nextSeq.getAndIncrement();
            int exec = (int) (seq % plan.executions());
            publisher.publish(user(exec), graph(exec), execId(exec),
                    events.nodeEvent(user(exec), graph(exec), execId(exec), seq, System.nanoTime()));
            if (slowEvents != null) {
                publisher.publish(user(0), graph(0), execId(SLOW_EXEC),
                        slowEvents.nodeEvent(user(0), graph(0), execId(SLOW_EXEC), seq, System.nanoTime()));
            }
        }
    }

    /** Execution {@code i} belongs to user {@code i}; the slow sockets' execution to user 0. */
    public static String user(int exec) {
        return "bench-user-" + Math.max(0, exec);
    }

    public static String graph(int exec) {
        return "bench-graph-" + exec;
    }

    public static String execId(int exec) {
        return exec == SLOW_EXEC ? "bench-exec-slow" : "bench-exec-" + exec;
    }

    private static void log(SystemUnderTest system, String line) {
        System.err.println("  [" + system.name() + "] " + line);
    }

    /** Every counted subscriber shares this listener. */
    private static final class Counting implements FrameListener {
        /** One reader per event-loop thread (the listener is shared by every socket). */
        final FastThreadLocal<Stamp> stamps = new FastThreadLocal<>() {
            @Override
            protected Stamp initialValue() {
                return new Stamp();
            }
        };
        final Latencies latencies = new Latencies();
        final LongAdder delivered = new LongAdder();
        final LongAdder frames = new LongAdder();
        final LongAdder closed = new LongAdder();
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MAX_VALUE;

        @Override
        public void onText(WsConnection connection, ByteBuf utf8) {
            long now = System.nanoTime();
            frames.increment();
            Stamp stamp = stamps.get();
            if (stamp.read(utf8) && stamp.seq() >= from && stamp.seq() < to) {
                delivered.increment();
                latencies.recordNanos(now - stamp.sentNanos());
            }
        }

        @Override
        public void onClosed(WsConnection connection, int code, String reason) {
            closed.increment();
        }
    }

    /** The sockets that never read, and what they got once they read again. */
    private static final class SlowWatch implements FrameListener {
        final List<WsConnection> connections = new CopyOnWriteArrayList<>();
        final LongAdder frames = new LongAdder();

        @Override
        public void onText(WsConnection connection, ByteBuf utf8) {
            frames.increment();
        }

        @Override
        public void onClosed(WsConnection connection, int code, String reason) {
        }
    }
}
