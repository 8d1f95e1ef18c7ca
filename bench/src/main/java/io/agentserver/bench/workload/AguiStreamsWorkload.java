package io.agentserver.bench.workload;

import io.agentserver.bench.measure.ProcessStats;
import io.agentserver.bench.measure.Result;
import io.agentserver.bench.sut.OurSystem;
import io.agentserver.bench.sut.SystemUnderTest;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * G: AG-UI streams. First {@code streams} concurrent {@code POST /ag-ui/demo} runs, each read to its end by its own
 * stream: the server's own histogram of a step stored → its SSE event written (the live streams' steps, as D reads
 * the XAgent sockets'), events per second, and server CPU per event. Then memory per open stream: {@code memoryRuns}
 * slow runs are started, the server's heap is measured after a full GC, {@code streams} rejoin streams are opened on
 * them ({@code GET …/events}, spread over the runs) and held, and the heap (and RSS) is measured again.
 */
public final class AguiStreamsWorkload implements Workload {

    public record Plan(String title, int streams, int subtasks, int inner, int delayMs, int memoryRuns,
                       Duration hold) {
    }

    private final Plan plan;

    public AguiStreamsWorkload(Plan plan) {
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
        OurSystem ours = (OurSystem) system;
        int port = ours.port(0);
        String stamp = Long.toString(System.nanoTime(), 36);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(30)).build()) {
            Result result = new Result();
            latency(ours, port, http, threads, stamp, result);
            memory(ours, port, http, threads, stamp, result);
            return result;
        } finally {
            threads.shutdownNow();
        }
    }

    private void latency(OurSystem ours, int port, HttpClient http, ExecutorService threads, String stamp,
                         Result result) throws Exception {
        LongAdder events = new LongAdder();
        LongAdder failures = new LongAdder();
        List<String> firstFailure = new CopyOnWriteArrayList<>();
        StepLatencyHistogram before = StepLatencyHistogram.scrape(http, port);
        ProcessStats.Sample server0 = ProcessStats.sample(ours.serverPids());
        ProcessStats.Sample self0 = ProcessStats.self();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < plan.streams(); i++) {
            String user = "agui-" + stamp + "-" + i;
            running.add(threads.submit(() -> {
                try (InputStream body = post(http, port, ours.token(user), plan.delayMs())) {
                    events.add(readToEnd(body, null));
                } catch (Exception e) {
                    failures.increment();
                    if (firstFailure.isEmpty()) {
                        firstFailure.add(String.valueOf(e));
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : running) {
            run.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ProcessStats.Sample server1 = ProcessStats.sample(ours.serverPids());
        ProcessStats.Sample self1 = ProcessStats.self();
        StepLatencyHistogram latency = StepLatencyHistogram.scrape(http, port).since(before);
        result.put("streams (one demo run each)", "%.0f", plan.streams())
                .put("streams failed", "%.0f", failures.sum())
                .put("events per s", "%.0f", events.sum() / seconds)
                .put("steps delivered (server histogram)", "%.0f", latency.count())
                .put("step stored → SSE event written p50 ms (server histogram)", "%.2f", latency.millis(0.50))
                .put("step stored → SSE event written p99 ms (server histogram)", "%.2f", latency.millis(0.99))
                .put("server CPU %", "%.1f", server1.cpuPercentSince(server0))
                .put("server CPU µs per event", "%.1f",
                        events.sum() == 0 ? Double.NaN : server1.cpuSince(server0) / 1000.0 / events.sum())
                .put("bench CPU %", "%.1f", self1.cpuPercentSince(self0));
        if (!firstFailure.isEmpty()) {
            result.remark(failures.sum() + " streams failed, first: " + firstFailure.getFirst());
        }
    }

    private void memory(OurSystem ours, int port, HttpClient http, ExecutorService threads, String stamp,
                        Result result) throws Exception {
        // Slow runs to rejoin: each owner opens one stream at start (POST) and keeps it; runs stay alive while held.
        List<String> runIds = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        List<InputStream> held = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(plan.memoryRuns());
        for (int r = 0; r < plan.memoryRuns(); r++) {
            String owner = "agui-mem-" + stamp + "-" + r;
            String runId = UUID.randomUUID().toString();
            owners.add(owner);
            runIds.add(runId);
            threads.submit(() -> {
                InputStream body = post(http, port, ours.token(owner), 60_000, runId);
                held.add(body);
                readToEnd(body, started);
                return null;
            });
        }
        if (!started.await(2, TimeUnit.MINUTES)) {
            result.remark("memory: not every slow run started");
        }
        Thread.sleep(1000);
        OptionalLong heap0 = ours.heapAfterGcKb(0);
        ProcessStats.Sample rss0 = ProcessStats.sample(ours.serverPids());
        CountDownLatch open = new CountDownLatch(plan.streams());
        for (int i = 0; i < plan.streams(); i++) {
            int run = i % plan.memoryRuns();
            threads.submit(() -> {
                InputStream body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + "/ag-ui/demo/runs/" + runIds.get(run) + "/events"))
                                .header("Authorization", "Bearer " + ours.token(owners.get(run)))
                                .header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body();
                held.add(body);
                readToEnd(body, open);
                return null;
            });
        }
        boolean allOpen = open.await(2, TimeUnit.MINUTES);
        Thread.sleep(plan.hold().toMillis());
        OptionalLong heap1 = ours.heapAfterGcKb(0);
        ProcessStats.Sample rss1 = ProcessStats.sample(ours.serverPids());
        double n = plan.streams();
        double heapPerStream = heap0.isPresent() && heap1.isPresent()
                ? (heap1.getAsLong() - heap0.getAsLong()) / n : Double.NaN;
        double rssPerStream = (rss1.rssKb() - rss0.rssKb()) / n;
        result.put("open streams held (rejoins of " + plan.memoryRuns() + " slow runs)", "%.0f", n - open.getCount())
                .put("heap per open stream KB (live, after full GC)", "%.1f", heapPerStream)
                .put("RSS per open stream KB", "%.1f", rssPerStream)
                .put("memory per open stream KB (RSS growth + heap growth where pre-touched)", "%.1f",
                        ours.heapPreTouched() ? rssPerStream + heapPerStream : rssPerStream);
        if (!allOpen) {
            result.remark("memory: " + open.getCount() + " streams did not open");
        }
        for (InputStream body : held) {
            try {
                body.close();
            } catch (Exception ignored) {
                // gone already
            }
        }
    }

    private InputStream post(HttpClient http, int port, String token, int delayMs) throws Exception {
        return post(http, port, token, delayMs, UUID.randomUUID().toString());
    }

    private InputStream post(HttpClient http, int port, String token, int delayMs, String runId) throws Exception {
        String body = "{\"threadId\":\"" + UUID.randomUUID() + "\",\"runId\":\"" + runId + "\",\"messages\":[{\"id\":"
                + "\"m\",\"role\":\"user\",\"content\":\"bench\"}],\"tools\":[],\"context\":[],\"forwardedProps\":{\"args\":"
                + "{\"demo\":{\"subtasks\":" + plan.subtasks() + ",\"inner\":" + plan.inner() + ",\"delay_ms\":" + delayMs
                + "}}}}";
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/ag-ui/demo")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String error = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IllegalStateException("POST /ag-ui/demo answered " + response.statusCode() + " " + error);
        }
        return response.body();
    }

    /** Reads events to the end of the stream; counts them; counts {@code first} down at the first one. */
    private static long readToEnd(InputStream body, CountDownLatch first) throws Exception {
        long events = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    if (events++ == 0 && first != null) {
                        first.countDown();
                    }
                }
            }
        } catch (Exception closed) {
            // held streams are closed by the bench at the end
        }
        return events;
    }
}
