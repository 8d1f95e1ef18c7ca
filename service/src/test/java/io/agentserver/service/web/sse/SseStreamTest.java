package io.agentserver.service.web.sse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SseStreamTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void aProducerThatCanWaitPausesPastHalfTheCapAndResumesWhenTheQueueDrained() throws Exception {
        SseStream stream = new SseStream("t", 100, LONG);
        assertThat(stream.offer(bytes(40))).isEqualTo(SseStream.Offer.QUEUED);
        assertThat(stream.offer(bytes(20))).isEqualTo(SseStream.Offer.NO_ROOM);
        assertThat(stream.hasRoom()).isTrue();
        CompletableFuture<Long> resumed = new CompletableFuture<>();
        stream.whenDrained(() -> resumed.complete(stream.pendingBytes()));
        assertThat(resumed).isNotDone();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> stream.run(out));
        assertThat(resumed.get(10, TimeUnit.SECONDS)).isZero();
        stream.finish();
        writer.join();
        assertThat(out.size()).isEqualTo(40);
        assertThat(stream.ended().get(10, TimeUnit.SECONDS)).isEqualTo(SseStream.End.FINISHED);
    }

    @Test
    void anEventBiggerThanTheCapIsStillTakenWhenTheQueueIsEmpty() {
        SseStream stream = new SseStream("t", 100, LONG);
        assertThat(stream.offer(bytes(500))).isEqualTo(SseStream.Offer.QUEUED);
        assertThat(stream.send(bytes(1))).as("then the client is over the cap").isFalse();
    }

    @Test
    void anEventThatMustGoOutPastTheCapEndsTheStreamAsASlowConsumer() throws Exception {
        SseStream stream = new SseStream("t", 100, LONG);
        assertThat(stream.send(bytes(60))).isTrue();
        assertThat(stream.send(bytes(60))).isFalse();
        assertThat(stream.ended().get(10, TimeUnit.SECONDS)).isEqualTo(SseStream.End.SLOW_CONSUMER);
        assertThat(stream.run(new ByteArrayOutputStream())).isEqualTo(SseStream.End.SLOW_CONSUMER);
        assertThat(stream.offer(bytes(1))).isEqualTo(SseStream.Offer.CLOSED);
    }

    @Test
    void finishWritesEverythingQueuedInOrderThenEnds() {
        SseStream stream = new SseStream("t", 1000, LONG);
        stream.send("a".getBytes(StandardCharsets.UTF_8));
        stream.offer("b".getBytes(StandardCharsets.UTF_8));
        stream.send("c".getBytes(StandardCharsets.UTF_8));
        stream.finish();
        assertThat(stream.offer(bytes(1))).isEqualTo(SseStream.Offer.CLOSED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(stream.run(out)).isEqualTo(SseStream.End.FINISHED);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @Test
    void anIdleStreamGetsAKeepAliveComment() throws Exception {
        SseStream stream = new SseStream("t", 1000, Duration.ofMillis(50));
        CountDownLatch pinged = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.write(b, off, len);
                if (written.toString(StandardCharsets.UTF_8).contains(": ping\n\n")) {
                    pinged.countDown();
                }
            }
        };
        Thread writer = Thread.ofVirtual().start(() -> stream.run(out));
        assertThat(pinged.await(10, TimeUnit.SECONDS)).isTrue();
        stream.finish();
        writer.join();
    }

    @Test
    void aWriteThatFailsMeansTheClientIsGone() {
        SseStream stream = new SseStream("t", 1000, LONG);
        stream.send(bytes(3));
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThat(stream.run(broken)).isEqualTo(SseStream.End.CLIENT_GONE);
        assertThat(stream.isOpen()).isFalse();
    }

    @Test
    void aWriteThatDoesNotReturnIsEndedAsASlowConsumerAndItsThreadFreed() throws Exception {
        SseStream stream = new SseStream("t", 1000, LONG);
        CountDownLatch writing = new CountDownLatch(1);
        CompletableFuture<Throwable> writeEnded = new CompletableFuture<>();
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writing.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    InterruptedIOException interrupted = new InterruptedIOException("interrupted");
                    writeEnded.complete(interrupted);
                    throw interrupted;
                }
            }
        };
        stream.send(bytes(3));
        CompletableFuture<SseStream.End> end = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> end.complete(stream.run(stuck)));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.endIfStalled(LONG)).as("not stalled for that long yet").isFalse();

        assertThat(stream.endIfStalled(Duration.ofNanos(1))).isTrue();
        assertThat(end.get(10, TimeUnit.SECONDS)).isEqualTo(SseStream.End.SLOW_CONSUMER);
        assertThat(writeEnded.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
    }

    @Test
    void abortDropsWhatIsQueuedAndTheWaiters() throws Exception {
        SseStream stream = new SseStream("t", 100, LONG);
        stream.send(bytes(10));
        boolean[] resumed = {false};
        stream.whenDrained(() -> resumed[0] = true);
        stream.abort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(stream.run(out)).isEqualTo(SseStream.End.ABORTED);
        assertThat(out.size()).isZero();
        assertThat(resumed[0]).isFalse();
        assertThat(stream.ended().get(10, TimeUnit.SECONDS)).isEqualTo(SseStream.End.ABORTED);
    }

    private static byte[] bytes(int n) {
        return "x".repeat(n).getBytes(StandardCharsets.UTF_8);
    }
}
