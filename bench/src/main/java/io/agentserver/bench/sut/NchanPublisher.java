package io.agentserver.bench.sut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/** {@code POST /pub/{exec}} with the event as body, at most 64 requests in flight. */
final class NchanPublisher implements Publisher {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Semaphore inFlight = new Semaphore(64);
    private final AtomicLong failures = new AtomicLong();

    NchanPublisher(int port) {
        this.base = "http://127.0.0.1:" + port + "/pub/";
    }

    @Override
    public void publish(String user, String graph, String exec, String event) {
        inFlight.acquireUninterruptibly();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + exec))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inFlight.release();
            if (failure != null || response.statusCode() >= 300) {
                failures.incrementAndGet();
            }
        });
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        inFlight.acquireUninterruptibly(64);
        inFlight.release(64);
        http.close();
    }
}
