package io.agentserver.bench.workload;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.WsClient;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.sut.Readiness;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens many sockets with at most {@code concurrency} handshakes in flight. A socket counts as open once
 * the upgrade completed and its readiness round trip came back (authenticated and served).
 */
final class Opener {

    /** One socket to open. */
    record Spec(URI uri, Readiness readiness, FrameListener listener, int receiveBuffer) {

        Spec(URI uri, Readiness readiness, FrameListener listener) {
            this(uri, readiness, listener, 0);
        }
    }

    /** {@code bySpec} holds each spec's socket at its index, null where it failed. */
    record Opened(List<WsConnection> connections, WsConnection[] bySpec, int failed, long nanos, String firstFailure) {

        double perSecond() {
            return connections.size() / (nanos / 1e9);
        }
    }

    private Opener() {
    }

    static Opened open(WsClient client, List<Spec> specs, int concurrency) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        List<WsConnection> opened = Collections.synchronizedList(new ArrayList<>(specs.size()));
        WsConnection[] bySpec = new WsConnection[specs.size()];
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            int index = i;
            slots.acquire();
            ReadyListener listener = new ReadyListener(spec.readiness(), spec.listener());
            client.connect(spec.uri(), listener, spec.receiveBuffer())
                    .thenCompose(connection -> {
                        connection.send(spec.readiness().request());
                        return listener.ready.thenApply(ignored -> connection);
                    })
                    .orTimeout(30, TimeUnit.SECONDS)
                    .whenComplete((connection, failure) -> {
                        if (failure == null) {
                            opened.add(connection);
                            bySpec[index] = connection;
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, String.valueOf(failure));
                        }
                        slots.release();
                    });
        }
        slots.acquire(concurrency);
        slots.release(concurrency);
        return new Opened(List.copyOf(opened), bySpec, failed.get(), System.nanoTime() - start, firstFailure.get());
    }

    /** Closes every socket politely and gives the close frames a moment to go out. */
    static void closeAll(List<WsConnection> connections) throws InterruptedException {
        connections.forEach(WsConnection::close);
        Thread.sleep(Math.min(3000, 200 + connections.size() / 10));
    }
}
