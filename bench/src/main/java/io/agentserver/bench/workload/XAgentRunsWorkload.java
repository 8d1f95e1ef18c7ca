package io.agentserver.bench.workload;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.Frames;
import io.agentserver.bench.client.WsClient;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.measure.Latencies;
import io.agentserver.bench.measure.ProcessStats;
import io.agentserver.bench.measure.Result;
import io.agentserver.bench.sut.OurSystem;
import io.agentserver.bench.sut.SystemUnderTest;
import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * D: {@code lanes} XAgent clients, each running demo runs with no step delay back to back on {@code /ws/base}
 * for the duration (init_conv_env, connect, start frame, every step until {@code finished}). Reports steps/s,
 * run time, and the server's emit → socket-write step latency from its {@code /metrics} histogram (the
 * XAgent frames carry no time of their own).
 */
public final class XAgentRunsWorkload implements Workload {

    public record Plan(String title, int lanes, int subtasks, int inner, Duration duration, int clientThreads,
                       int delayMs) {

        public Plan(String title, int lanes, int subtasks, int inner, Duration duration, int clientThreads) {
            this(title, lanes, subtasks, inner, duration, clientThreads, 0);
        }
    }

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern USER_ID = Pattern.compile("\"user_id\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final byte[] CONNECT = Frames.ascii("\"status\":\"connect\"");
    private static final byte[] FINISHED = Frames.ascii("\"status\":\"finished\"");
    private static final byte[] FAILED = Frames.ascii("\"status\":\"failed\"");

    private final Plan plan;

    public XAgentRunsWorkload(Plan plan) {
        this.plan = plan;
    }

    @Override
    public String title() {
        return plan.title();
    }

    @Override
    public boolean oursOnly() {
        return true;
    }

    @Override
    public Result run(SystemUnderTest system) throws Exception {
        int port = ((OurSystem) system).port(0);
        LongAdder steps = new LongAdder();
        LongAdder runs = new LongAdder();
        LongAdder failures = new LongAdder();
        Latencies runTimes = new Latencies();
        List<String> firstFailure = new CopyOnWriteArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient(); WsClient client = new WsClient(plan.clientThreads());
             var lanes = Executors.newVirtualThreadPerTaskExecutor()) {
            StepLatencyHistogram before = StepLatencyHistogram.scrape(http, port);
            ProcessStats.Sample server0 = ProcessStats.sample(system.serverPids());
            ProcessStats.Sample self0 = ProcessStats.self();
            long start = System.nanoTime();
            long deadline = start + plan.duration().toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int lane = 0; lane < plan.lanes(); lane++) {
                int laneNumber = lane;
                running.add(lanes.submit(() -> {
                    // init_conv_env hands a user's one ready interaction to every caller: a user per lane.
                    String credentials = register(http, port, "bench-" + start + "-" + laneNumber + "@bench.invalid");
                    while (System.nanoTime() < deadline) {
                        long runStart = System.nanoTime();
                        try {
                            steps.add(oneRun(http, client, port, credentials));
                            runs.increment();
                            runTimes.recordNanos(System.nanoTime() - runStart);
                        } catch (Exception e) {
                            failures.increment();
                            if (firstFailure.isEmpty()) {
                                firstFailure.add(String.valueOf(e));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var lane : running) {
                lane.get(plan.duration().toSeconds() + 120, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessStats.Sample server1 = ProcessStats.sample(system.serverPids());
            ProcessStats.Sample self1 = ProcessStats.self();
            StepLatencyHistogram stepLatency = StepLatencyHistogram.scrape(http, port).since(before);
            Histogram runTime = runTimes.snapshot();
            Result result = new Result()
                    .put("runs completed", "%.0f", runs.sum())
                    .put("runs failed", "%.0f", failures.sum())
                    .put("steps per s (frames after connect)", "%.0f", steps.sum() / seconds)
                    .put("run time p50 ms", "%.1f", Latencies.millis(runTime, 50))
                    .put("run time p99 ms", "%.1f", Latencies.millis(runTime, 99))
                    .put("step emit → socket write p50 ms (server histogram)", "%.2f", stepLatency.millis(0.50))
                    .put("step emit → socket write p99 ms (server histogram)", "%.2f", stepLatency.millis(0.99))
                    .put("server CPU %", "%.1f", server1.cpuPercentSince(server0))
                    .put("server CPU µs per step", "%.1f", steps.sum() == 0 ? Double.NaN : server1.cpuSince(server0) / 1000.0 / steps.sum())
                    .put("server RSS MB", "%.1f", server1.rssKb() / 1024.0)
                    .put("bench CPU %", "%.1f", self1.cpuPercentSince(self0));
            if (!firstFailure.isEmpty()) {
                result.remark(failures.sum() + " runs failed, first: " + firstFailure.getFirst());
            }
            return result;
        }
    }

    /** A new XAgent user; its {@code user_id=…&token=…} form fields. */
    private static String register(HttpClient http, int port, String email) throws Exception {
        String body = post(http, port, "/api/user/register", "email=" + email);
        Matcher user = USER_ID.matcher(body);
        Matcher token = TOKEN.matcher(body);
        if (!user.find() || !token.find()) {
            throw new IllegalStateException("register answered " + body);
        }
        return "user_id=" + user.group(1) + "&token=" + token.group(1);
    }

    private static String post(HttpClient http, int port, String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One demo run to its end; the number of frames after the connect frame. */
    private long oneRun(HttpClient http, WsClient client, int port, String credentials) throws Exception {
        String body = post(http, port, "/api/conv/init_conv_env", credentials);
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("init_conv_env answered " + body);
        }
        RunListener listener = new RunListener();
        WsConnection socket = client.connect(URI.create("ws://127.0.0.1:" + port + "/ws/base/" + id.group(1)
                + "?" + credentials + "&description=bench"), listener).get(30, TimeUnit.SECONDS);
        try {
            socket.send("{\"type\":\"data\",\"args\":{\"goal\":\"bench\",\"demo\":{\"subtasks\":" + plan.subtasks()
                    + ",\"inner\":" + plan.inner() + ",\"delay_ms\":" + plan.delayMs() + "}},\"agent\":\"XAgent\",\"mode\":\"auto\",\"file_list\":[]}");
            return listener.done.get(60, TimeUnit.SECONDS);
        } finally {
            socket.close();
        }
    }

    private static final class RunListener implements FrameListener {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private long steps;

        @Override
        public void onText(WsConnection connection, ByteBuf utf8) {
            if (Frames.contains(utf8, CONNECT)) {
                return;
            }
            steps++;
            if (Frames.contains(utf8, FINISHED)) {
                done.complete(steps);
            } else if (Frames.contains(utf8, FAILED)) {
                done.completeExceptionally(new IllegalStateException("run failed: " + utf8.toString(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public void onClosed(WsConnection connection, int code, String reason) {
            done.completeExceptionally(new IllegalStateException("closed " + code + " " + reason + " after " + steps + " steps"));
        }
    }
}
