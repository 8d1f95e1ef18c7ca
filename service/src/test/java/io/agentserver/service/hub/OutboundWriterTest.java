package io.agentserver.service.hub;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundWriterTest {

    /** A session that records what it was sent and can be made to block, like a peer that stops reading. */
    private static class RecordingSession implements WsSession {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch unblock = new CountDownLatch(1);
        volatile boolean blocking;
        volatile int closeCode;
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public WsSession send(String text, boolean last) {
            if (blocking) {
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sent.add(text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            closeCode = code;
            closed.countDown();
            return this;
        }

        @Override
        public WsSession terminate() {
            return this;
        }

        @Override
        public SocketContext socketContext() {
            return null;
        }
    }

    @Test
    void framesAndTasksRunInTheOrderTheyWereQueued() throws InterruptedException {
        RecordingSession session = new RecordingSession();
        OutboundWriter writer = new OutboundWriter("c1", session, 100, size -> { }).start();
        writer.send("a");
        writer.execute(() -> writer.sendNow("b"));
        writer.send("c");
        writer.close(1000, "");
        assertThat(session.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(session.sent).containsExactly("a", "b", "c");
        assertThat(session.closeCode).isEqualTo(1000);
        assertThat(writer.send("late")).isFalse();
    }

    @Test
    void aPeerThatStopsReadingOverflowsItsQueueWithoutBlockingTheProducer() {
        RecordingSession session = new RecordingSession();
        session.blocking = true;
        AtomicInteger overflows = new AtomicInteger();
        OutboundWriter writer = new OutboundWriter("c2", session, 10, size -> overflows.incrementAndGet()).start();
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (writer.send("frame " + i)) {
                accepted++;
            }
        }
        assertThat(accepted).isBetween(10, 11);
        assertThat(overflows.get()).isEqualTo(100 - accepted);
        session.unblock.countDown();
        writer.stop();
    }

    @Test
    void aFailedSendStopsTheWriterAndReportsOnce() throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        WsSession broken = new RecordingSession() {
            @Override
            public WsSession send(String text, boolean last) {
                throw new IllegalStateException("connection reset");
            }
        };
        OutboundWriter writer = new OutboundWriter("c3", broken, 10, size -> { }).start();
        writer.onSendFailure(() -> {
            failures.incrementAndGet();
            failed.countDown();
        });
        writer.send("a");
        writer.send("b");
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);
        assertThat(failures.get()).isEqualTo(1);
        assertThat(writer.isOpen()).isFalse();
    }

    @Test
    void stoppingDoesNotInterruptATasksStoreWorkAndItsLaterSendIsNotDelivered() throws InterruptedException {
        RecordingSession session = new RecordingSession();
        OutboundWriter writer = new OutboundWriter("c4", session, 10, size -> { }).start();
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        java.util.concurrent.CompletableFuture<Boolean> laterSend = new java.util.concurrent.CompletableFuture<>();
        writer.execute(() -> {
            working.countDown();
            try {
                // Stands for a JDBC read: an interrupt there breaks the pooled connection.
                release.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            laterSend.complete(writer.sendNow("after stop"));
        });
        assertThat(working.await(5, TimeUnit.SECONDS)).isTrue();
        writer.stop();
        release.countDown();
        assertThat(laterSend.orTimeout(5, TimeUnit.SECONDS).join()).isFalse();
        assertThat(interrupted.get()).isZero();
        assertThat(session.sent).isEmpty();
        assertThat(writer.awaitStopped(java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void theInterruptThatEndsAStuckSendInsideATaskDoesNotReachTheTasksLaterStoreWork() throws InterruptedException {
        CountDownLatch sending = new CountDownLatch(1);
        WsSession stuck = new RecordingSession() {
            @Override
            public WsSession send(String text, boolean last) {
                sending.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    // What a JDK socket does when a virtual thread blocked in a write is interrupted: it closes
                    // the socket, throws, and leaves the interrupt status set.
                    Thread.currentThread().interrupt();
                    throw new java.io.UncheckedIOException(new java.net.SocketException("Closed by interrupt"));
                }
                return this;
            }
        };
        OutboundWriter writer = new OutboundWriter("c5", stuck, 10, size -> { });
        java.util.concurrent.CompletableFuture<Boolean> storeWorkInterrupted = new java.util.concurrent.CompletableFuture<>();
        writer.execute(() -> {
            writer.sendNow("stuck");
            // Stands for the task's store work after the failed send (recording the cursor, say).
            storeWorkInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
        writer.stop();
        assertThat(storeWorkInterrupted.orTimeout(5, TimeUnit.SECONDS).join()).isFalse();
        assertThat(writer.awaitStopped(java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void framesPongsAndTasksFromManyProducersKeepEachProducersOrderAndTheCloseComesLast() throws Exception {
        RecordingSession session = new RecordingSession();
        OutboundWriter writer = new OutboundWriter("c6", session, 100_000, size -> { });
        AtomicInteger offWriter = new AtomicInteger();
        int producers = 6;
        int each = 2_000;
        CountDownLatch done = new CountDownLatch(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    int index = i;
                    switch (i % 3) {
                        case 0 -> writer.send(TextFrame.of(producer + ":" + index));
                        case 1 -> writer.send(producer + ":" + index);
                        default -> writer.execute(() -> {
                            if (!writer.onWriterThread()) {
                                offWriter.incrementAndGet();
                            }
                        });
                    }
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        writer.close(1000, "");
        assertThat(session.closed.await(30, TimeUnit.SECONDS)).isTrue();
        int[] next = new int[producers];
        for (String text : session.sent) {
            String[] parts = text.split(":");
            int producer = Integer.parseInt(parts[0]);
            while (next[producer] % 3 == 2) {
                next[producer]++;
            }
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[producer]);
            next[producer]++;
        }
        assertThat(session.sent).hasSize(producers * (each - each / 3));
        assertThat(offWriter.get()).as("tasks that ran anywhere but on the writer").isZero();
        assertThat(writer.send("late")).isFalse();
        assertThat(writer.awaitStopped(java.time.Duration.ofSeconds(5))).isTrue();
    }
}
