package io.agentserver.bench.workload;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.WsClient;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.measure.ProcessStats;
import io.agentserver.bench.measure.Result;
import io.agentserver.bench.sut.SystemUnderTest;
import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * C: many idle authenticated sockets, one user each. Measures the handshake rate (upgrade, JWT, and one
 * application round trip), then RSS and heap per socket, and the idle CPU while they are held.
 */
public final class IdleWorkload implements Workload {

    /** {@code warmupConnections} are opened and closed first, so that the measured handshakes run on compiled code. */
    public record Plan(String title, int connections, int warmupConnections, int concurrency, Duration hold,
                       int clientThreads) {
    }

    private static final FrameListener IGNORE = new FrameListener() {
        @Override
        public void onText(WsConnection connection, ByteBuf utf8) {
        }
    };

    private final Plan plan;

    public IdleWorkload(Plan plan) {
        this.plan = plan;
    }

    @Override
    public String title() {
        return plan.title();
    }

    @Override
    public Result run(SystemUnderTest system) throws Exception {
        // URIs (and their tokens) are made before the clock starts.
        List<Opener.Spec> specs = new ArrayList<>(plan.connections());
        for (int i = 0; i < plan.connections(); i++) {
            specs.add(new Opener.Spec(system.subscriberUri(0, "idle-user-" + i, "idle-exec-" + i),
                    system.keepAlive(), IGNORE));
        }
        List<Opener.Spec> warmup = new ArrayList<>(plan.warmupConnections());
        for (int i = 0; i < plan.warmupConnections(); i++) {
            warmup.add(new Opener.Spec(system.subscriberUri(0, "warmup-user-" + i, "warmup-exec-" + i),
                    system.keepAlive(), IGNORE));
        }
        try (WsClient client = new WsClient(plan.clientThreads())) {
            if (!warmup.isEmpty()) {
                Opener.closeAll(Opener.open(client, warmup, plan.concurrency()).connections());
                Thread.sleep(1000);
            }
            OptionalLong heap0 = system.heapAfterGcKb(0);
            ProcessStats.Sample before = ProcessStats.sample(system.serverPids());
            Opener.Opened opened = Opener.open(client, specs, plan.concurrency());
            System.err.println("  [" + system.name() + "] opened " + opened.connections().size() + " in "
                    + opened.nanos() / 1_000_000 + " ms");
            ProcessStats.Sample afterOpen = ProcessStats.sample(system.serverPids());
            Thread.sleep(plan.hold().toMillis());
            ProcessStats.Sample afterHold = ProcessStats.sample(system.serverPids());
            OptionalLong heap1 = system.heapAfterGcKb(0);
            int open = (int) opened.connections().stream().filter(WsConnection::isOpen).count();
            int n = Math.max(1, opened.connections().size());
            double rssPerSocket = (afterHold.rssKb() - before.rssKb()) / (double) n;
            double heapPerSocket = heap0.isPresent() && heap1.isPresent()
                    ? (heap1.getAsLong() - heap0.getAsLong()) / (double) n : Double.NaN;
            // A pre-touched heap is resident from the start: its growth per socket is not in the RSS growth.
            double memoryPerSocket = system.heapPreTouched() ? rssPerSocket + heapPerSocket : rssPerSocket;
            Result result = new Result()
                    .put("sockets open", "%.0f", opened.connections().size())
                    .put("handshakes per s (JWT + round trip)", "%.0f", opened.perSecond())
                    .put("server CPU µs per handshake", "%.1f", afterOpen.cpuSince(before) / 1000.0 / n)
                    .put("RSS per socket KB", "%.1f", rssPerSocket)
                    .put("heap per socket KB (live, after full GC)", "%.1f", heapPerSocket)
                    .put("memory per socket KB (RSS growth + heap growth where pre-touched)", "%.1f", memoryPerSocket)
                    .put("server RSS MB", "%.1f", afterHold.rssKb() / 1024.0)
                    .put("idle server CPU % (while held)", "%.1f", afterHold.cpuPercentSince(afterOpen))
                    .put("sockets still open after hold", "%.0f", open);
            if (opened.failed() > 0) {
                result.remark(opened.failed() + " sockets failed to open: " + opened.firstFailure());
            }
            Opener.closeAll(opened.connections());
            return result;
        }
    }
}
