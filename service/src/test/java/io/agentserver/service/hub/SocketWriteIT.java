package io.agentserver.service.hub;

import io.agentserver.service.observe.ServiceMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames a {@link ConnectionSession} writes as bytes straight to the connection (not through Helidon's
 * {@code WsSession.send}) reach the JDK's own WebSocket client as intact TEXT messages, in order, whatever
 * their length class (7-bit, 16-bit and 64-bit payload lengths), whichever way they were queued and however many
 * producers queue them at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketWriteIT {

    private static final Duration WAIT = HubServer.WAIT;
    private static final int PRODUCERS = 8;
    private static final int FRAMES_PER_PRODUCER = 400;
    private static final int PINGS = 20;

    private HubServer server;
    private ServiceMetrics metrics;

    /** Records every message as the JDK client delivers it, failing on anything but text. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
        final AtomicInteger binaryFrames = new AtomicInteger();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binaryFrames.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(text).as("a text message within " + WAIT).isNotNull();
            return text;
        }
    }

    @BeforeAll
    void start() {
        server = new HubServer(HubServer.settings(64L * 1024 * 1024, Duration.ofMinutes(5), false));
        metrics = server.metrics;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Payloads across the three length encodings and their edges, ASCII and multi-byte UTF-8. */
    private static List<String> sizedPayloads() {
        List<String> payloads = new ArrayList<>();
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 300_000}) {
            payloads.add("a".repeat(length));
        }
        payloads.add("é€😀 mixed");
        payloads.add("€".repeat(42)); // 126 UTF-8 bytes from 42 characters: the length is in bytes
        payloads.add("😀".repeat(16_384)); // 65,536 UTF-8 bytes
        payloads.add("é".repeat(100_000));
        return payloads;
    }

    private double framesOut() {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot counter
                    && counter.getMetadata().getPrometheusName().startsWith("agentserver_frames_out")) {
                return counter.getDataPoints().stream()
                        .filter(p -> "autogpt".equals(p.getLabels().get("protocol")))
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                        .sum();
            }
        }
        throw new AssertionError("agentserver_frames_out_total not registered");
    }

    private WebSocket connect(Client client) {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/t"), client)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    @Test
    void encodedFramesOfEveryLengthArriveAsIntactTextMessagesInOrder() throws InterruptedException {
        Client client = new Client();
        WebSocket socket = connect(client);
        ConnectionSession session = server.next().session();
        List<String> payloads = sizedPayloads();
        for (int i = 0; i < payloads.size(); i++) {
            switch (i % 3) {
                case 0 -> session.send(TextFrame.of(payloads.get(i)));
                case 1 -> session.send(payloads.get(i));
                default -> assertThat(session.offer(TextFrame.of(payloads.get(i)), i, 0))
                        .isEqualTo(OutboundWriter.Offer.QUEUED);
            }
        }
        for (String expected : payloads) {
            String received = client.next();
            assertThat(received.length()).isEqualTo(expected.length());
            assertThat(received).isEqualTo(expected);
        }
        assertThat(client.binaryFrames.get()).isZero();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void framesAreWrittenAsBytesToTheConnectionNotThroughHelidonsSend() throws InterruptedException {
        Client client = new Client();
        WebSocket socket = connect(client);
        ConnectionSession session = server.next().session();
        assertThat(session.writesDirectly()).as("the batched-bytes path, as in production").isTrue();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void aBurstFromManyProducersArrivesCompleteAndOrderedWithPongsBetweenAndTheCloseLast() throws Exception {
        double framesOutBefore = framesOut();
        Client client = new Client();
        WebSocket socket = connect(client);
        ConnectionSession session = server.next().session();
        TextFrame sharedFrame = TextFrame.of("shared é€😀");
        CountDownLatch done = new CountDownLatch(PRODUCERS);
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < FRAMES_PER_PRODUCER; i++) {
                    session.send(i % 10 == 0 ? sharedFrame : TextFrame.of(producer + ":" + i));
                }
                done.countDown();
            });
        }
        for (int i = 0; i < PINGS; i++) {
            socket.sendPing(ByteBuffer.wrap(("ping " + i).getBytes(StandardCharsets.UTF_8))).join();
        }
        int[] nextByProducer = new int[PRODUCERS];
        int shared = 0;
        int total = PRODUCERS * FRAMES_PER_PRODUCER;
        for (int n = 0; n < total; n++) {
            String text = client.next();
            if (text.equals("shared é€😀")) {
                shared++;
                continue;
            }
            String[] parts = text.split(":");
            int producer = Integer.parseInt(parts[0]);
            int index = Integer.parseInt(parts[1]);
            while (nextByProducer[producer] % 10 == 0) {
                nextByProducer[producer]++; // the shared frames this producer sent in between
            }
            assertThat(index).as("producer " + producer + "'s frames in the order it queued them")
                    .isEqualTo(nextByProducer[producer]);
            nextByProducer[producer]++;
        }
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<String> pongs = new ArrayList<>();
        for (int i = 0; i < PINGS; i++) {
            String pong = client.pongs.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(pong).as("pong " + i).isNotNull();
            pongs.add(pong);
        }
        session.close(CloseCodes.NORMAL, "burst done", true);
        assertThat(shared).isEqualTo(PRODUCERS * FRAMES_PER_PRODUCER / 10);
        assertThat(client.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(CloseCodes.NORMAL);
        assertThat(client.texts).as("nothing after the close frame").isEmpty();
        List<String> pings = new ArrayList<>();
        for (int i = 0; i < PINGS; i++) {
            pings.add("ping " + i);
        }
        assertThat(pongs).as("every ping answered, in order").isEqualTo(pings);
        assertThat(framesOut() - framesOutBefore).as("frames counted once each, however they were batched")
                .isEqualTo(total);
        assertThat(client.binaryFrames.get()).isZero();
        socket.abort();
    }
}
