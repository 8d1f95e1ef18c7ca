package io.agentserver.service.hub;

import io.agentserver.service.testing.RawWebSocket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection's session over a real server and real sockets (the writer's batched-bytes path, Helidon's own
 * connection thread): byte caps, flow control, acknowledgements by ping, dead peers, and the order in which a
 * connection's work and its end run.
 */
class ConnectionSessionIT {

    private static final Duration WAIT = HubServer.WAIT;
    private static final TextFrame KILOBYTE = TextFrame.of("k".repeat(1024));

    @Test
    void aClientThatStopsReadingIsClosedWith1013PastTheByteCapAndDroppedWhileItsProducerGoesOn() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(64 * 1024, Duration.ofMinutes(5), false));
             RawWebSocket frozen = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            ConnectionSession session = handled.session();
            int refused = 0;
            for (int i = 0; i < 20_000; i++) { // 20 MB: more than the kernel's buffers and the cap together
                if (!session.send(KILOBYTE)) {
                    refused++;
                }
            }
            assertThat(refused).as("offers past the cap are refused, not queued").isPositive();
            HubServer.Ended ended = handled.awaitEnd();
            assertThat(ended.clean()).as("a slow consumer may come back: not a clean end").isFalse();
            assertThat(counter(server, "agentserver_slow_consumer_closes")).isEqualTo(1.0);
        }
    }

    @Test
    void aProducerThatCanWaitGetsNoRoomPastHalfTheCapAndIsToldWhenTheQueueDrained() throws Exception {
        long cap = 64 * 1024;
        try (HubServer server = new HubServer(HubServer.settings(cap, Duration.ofMinutes(5), false));
             RawWebSocket paused = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            ConnectionSession session = handled.session();
            int queued = 0;
            int noRoom = 0;
            for (int i = 0; i < 20_000; i++) { // 20 MB offered: more than the kernel's buffers and the cap together
                if (session.offer(KILOBYTE, i, 0) == OutboundWriter.Offer.QUEUED) {
                    queued++;
                } else {
                    noRoom++;
                }
                assertThat(session.queuedBytes()).as("never more than half the cap and one frame")
                        .isLessThanOrEqualTo(cap / 2 + KILOBYTE.wire().length);
            }
            assertThat(noRoom).as("a client that does not read leaves no room").isPositive();
            CompletableFuture<Void> drained = new CompletableFuture<>();
            session.whenDrained(() -> drained.complete(null));
            for (int read = 0; read < queued; read++) {
                RawWebSocket.Frame frame = paused.read();
                assertThat(frame).as("frame " + read).isNotNull();
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
            }
            drained.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(session.state()).isEqualTo(ConnectionSession.State.OPEN);
            assertThat(counter(server, "agentserver_slow_consumer_closes")).isZero();
        }
    }

    @Test
    void anAnsweredPingAcknowledgesTheLastTaggedFrameWrittenBeforeIt() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMinutes(5), true))) {
            Reader reader = new Reader();
            WebSocket client = connect(server, reader);
            HubServer.Handled handled = server.next();
            ConnectionSession session = handled.session();
            for (int tag = 0; tag < 10; tag++) {
                session.offer(TextFrame.of("step " + tag), tag, 0);
            }
            await("the client acknowledged the tenth frame", () -> handled.acks.contains(9L));
            assertThat(reader.texts).hasSize(10);
            assertThat(handled.acks).as("acknowledgements only grow").isSorted().doesNotHaveDuplicates();
            client.abort();
        }
    }

    @Test
    void framesAClientDidNotReadAreNeverAcknowledged() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMinutes(5), true));
             RawWebSocket deaf = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            ConnectionSession session = handled.session();
            for (int tag = 0; tag < 10; tag++) {
                session.offer(TextFrame.of("step " + tag), tag, 0);
            }
            List<Integer> opcodes = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                opcodes.add(deaf.read().opcode());
            }
            assertThat(opcodes).as("ten frames and a ping, which this client never answers")
                    .containsOnlyOnce(RawWebSocket.PING);
            assertThat(handled.acks).isEmpty();
        }
    }

    @Test
    void aClientThatAnswersOurCloseHasReceivedEverythingWrittenBeforeIt() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMinutes(5), true));
             RawWebSocket client = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            ConnectionSession session = handled.session();
            for (int tag = 0; tag < 5; tag++) {
                session.offer(TextFrame.of("step " + tag), tag, 0);
            }
            session.close(CloseCodes.NORMAL, "", true);
            RawWebSocket.Frame frame;
            while ((frame = client.read()) != null && frame.opcode() != RawWebSocket.CLOSE) {
                // text frames and a ping this client does not answer
            }
            assertThat(frame).isNotNull();
            client.frame(true, RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
            assertThat(handled.awaitEnd().clean()).isTrue();
            assertThat(handled.acks).as("its close answer proves it read every frame before ours").containsExactly(4L);
        }
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsDroppedAsAnAbruptEnd() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMillis(200), false));
             RawWebSocket silent = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            handled.session();
            HubServer.Ended ended = handled.awaitEnd();
            assertThat(ended.clean()).isFalse();
            assertThat(counter(server, "agentserver_unresponsive_drops")).isEqualTo(1.0);
            assertThat(silent.untilClosed()).as("the TCP connection was dropped, no close frame sent").isEqualTo(-1);
        }
    }

    @Test
    void aTcpDropEndsTheConnectionAsAbruptWithoutWaitingForAPing() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMinutes(5), false));
             RawWebSocket client = RawWebSocket.upgrade(server.port(), "/t")) {
            HubServer.Handled handled = server.next();
            handled.session();
            client.drop();
            assertThat(handled.awaitEnd().clean()).isFalse();
        }
    }

    @Test
    void theEndRunsLastOnTheConnectionsWorkAfterItsPendingMessagesAndUninterrupted() throws Exception {
        try (HubServer server = new HubServer(HubServer.settings(1 << 20, Duration.ofMinutes(5), false))) {
            Reader reader = new Reader();
            WebSocket client = connect(server, reader);
            HubServer.Handled handled = server.next();
            handled.session();
            CountDownLatch release = new CountDownLatch(1);
            handled.onMessage = message -> {
                if (message.equals("slow")) {
                    try {
                        release.await(); // a store that takes its time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            client.sendText("slow", true).join();
            client.sendText("after", true).join();
            client.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            assertThat(reader.closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())
                    .as("the close is answered while the slow work still runs").isEqualTo(CloseCodes.NORMAL);
            assertThat(handled.ended).as("the end waits for the work queued before it").isNotDone();
            release.countDown();
            HubServer.Ended ended = handled.awaitEnd();
            assertThat(handled.messages).containsExactly("slow", "after");
            assertThat(ended.clean()).isTrue();
            assertThat(ended.thread()).startsWith("ws-work-");
            assertThat(ended.interrupted()).isFalse();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A JDK client that reads everything (and so answers every ping). */
    private static final class Reader implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            texts.add(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    private static WebSocket connect(HubServer server, WebSocket.Listener listener) {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/t"), listener)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static double counter(HubServer server, String name) {
        for (MetricSnapshot snapshot : server.metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot counter && counter.getMetadata().getPrometheusName().equals(name)) {
                return counter.getDataPoints().stream()
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
