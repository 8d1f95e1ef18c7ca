package io.agentserver.service.sse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class SseStreamTest {

    /** An output stream whose first write blocks until released (a reader that does not read). */
    private static final class StuckOutput extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean closed;

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.UncheckedIOException(new InterruptedIOException("interrupted"));
            }
            written.write(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] bytes(int n) {
        return "x".repeat(n).getBytes(StandardCharsets.UTF_8);
    }

    private static CompletableFuture<SseStream.End> drain(SseStream stream, OutputStream out) {
        CompletableFuture<SseStream.End> end = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> end.complete(stream.drain(out)));
        return end;
    }

    @Test
    void aProducerThatCanWaitGetsNoRoomPastHalfTheCapAndIsResumedWhenTheQueueDrains() throws Exception {
        SseStream stream = new SseStream("t1", 4096);
        StuckOutput out = new StuckOutput();
        CompletableFuture<SseStream.End> end = drain(stream, out);
        assertThat(stream.offer(bytes(100))).isEqualTo(SseStream.Offer.QUEUED);
        assertThat(out.writing.await(5, TimeUnit.SECONDS)).isTrue(); // the drain holds those 100 bytes
        assertThat(stream.offer(bytes(1500))).isEqualTo(SseStream.Offer.QUEUED);
        assertThat(stream.offer(bytes(1000))).isEqualTo(SseStream.Offer.NO_ROOM);
        assertThat(stream.hasRoom()).isTrue(); // 1,600 of 4,096 queued: a producer that checked may put a chunk
        assertThat(stream.put(bytes(500))).isTrue();
        assertThat(stream.hasRoom()).isFalse();
        AtomicBoolean resumed = new AtomicBoolean();
        stream.whenDrained(() -> resumed.set(true));
        assertThat(resumed).isFalse();
        out.release.countDown();
        stream.finish();
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(SseStream.End.COMPLETED);
        assertThat(resumed).isTrue();
        assertThat(out.written.size()).isEqualTo(2100);
        assertThat(out.closed).isTrue();
    }

    @Test
    void bytesThatMustGoOutPastTheCapEndTheStreamAsSlowAndBreakTheStuckWrite() throws Exception {
        SseStream stream = new SseStream("t2", 4096);
        StuckOutput out = new StuckOutput();
        CompletableFuture<SseStream.End> end = drain(stream, out);
        assertThat(stream.send(bytes(100))).isTrue();
        assertThat(out.writing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.send(bytes(3000))).isTrue();
        assertThat(stream.send(bytes(1000))).isFalse(); // 100 + 3000 + 1000 > 4096
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(SseStream.End.SLOW);
        assertThat(stream.pendingBytes()).isZero();
        assertThat(stream.send(bytes(1))).isFalse();
        assertThat(out.closed).isFalse();
    }

    @Test
    void aReaderThatReadsNothingForTheStallTimeoutIsEndedAsSlow() throws Exception {
        SseStream stream = new SseStream("t3", 1 << 20);
        StuckOutput out = new StuckOutput();
        CompletableFuture<SseStream.End> end = drain(stream, out);
        assertThat(stream.send(bytes(10))).isTrue();
        assertThat(out.writing.await(5, TimeUnit.SECONDS)).isTrue();
        long stall = TimeUnit.SECONDS.toNanos(1);
        stream.tick(System.nanoTime(), TimeUnit.SECONDS.toNanos(15), stall);
        assertThat(stream.ended()).isFalse();
        stream.tick(System.nanoTime() + 2 * stall, TimeUnit.SECONDS.toNanos(15), stall);
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(SseStream.End.SLOW);
    }

    @Test
    void anIdleStreamGetsAKeepAliveCommentAndAFailedWriteEndsItAsGone() throws Exception {
        SseStream stream = new SseStream("t4", 4096);
        CountDownLatch wrote = new CountDownLatch(1);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (seen.size() > 0) {
                    throw new IOException("reset by peer");
                }
                seen.write(b, off, len);
                wrote.countDown();
            }
        };
        CompletableFuture<SseStream.End> end = drain(stream, out);
        stream.tick(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(15),
                TimeUnit.SECONDS.toNanos(30));
        assertThat(wrote.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo(": ping\n\n");
        assertThat(stream.send(bytes(5))).isTrue();
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo(SseStream.End.GONE);
    }
}
