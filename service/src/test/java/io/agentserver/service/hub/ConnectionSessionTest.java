package io.agentserver.service.hub;

import io.agentserver.service.observe.ServiceMetrics;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionSessionTest {

    /** A peer whose sends can block until the writer is interrupted, or fail. */
    private static class Peer implements WsSession {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch sending = new CountDownLatch(1);
        volatile boolean blocking;
        volatile boolean failing;
        volatile boolean sendReturned;

        @Override
        public WsSession send(String text, boolean last) {
            if (failing) {
                throw new IllegalStateException("connection reset");
            }
            if (blocking) {
                sending.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    sendReturned = true;
                    throw new IllegalStateException("interrupted while sending");
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

    private static ConnectionSession open(Peer peer, int capacity) {
        ConnectionRegistry registry = new ConnectionRegistry();
        return ConnectionSession.open(Protocol.XAGENT, peer, capacity, Duration.ofSeconds(30), HubSettings.defaults(),
                registry, new ServiceMetrics(registry, () -> 0));
    }

    @Test
    void theClientsCloseReturnsOnlyAfterTheWriterStopped() throws InterruptedException {
        Peer peer = new Peer();
        peer.blocking = true;
        ConnectionSession session = open(peer, 10);
        session.send("stuck");
        assertThat(peer.sending.await(5, TimeUnit.SECONDS)).isTrue();
        session.clientClosed();
        assertThat(peer.sendReturned).as("the writer left its send before onClose returned").isTrue();
        assertThat(session.state()).isEqualTo(ConnectionSession.State.CLOSED);
        assertThat(session.send("late")).isFalse();
    }

    @Test
    void aFailedWriteEndsTheConnectionOffTheWriterThreadAndUninterrupted() {
        Peer peer = new Peer();
        peer.failing = true;
        ConnectionSession session = open(peer, 10);
        CompletableFuture<Thread> endedOn = new CompletableFuture<>();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Boolean> clean = new CompletableFuture<>();
        session.onEnd(wasClean -> {
            interrupted.complete(Thread.currentThread().isInterrupted());
            endedOn.complete(Thread.currentThread());
            clean.complete(wasClean);
        });
        session.send("a");
        assertThat(endedOn.orTimeout(5, TimeUnit.SECONDS).join().getName()).doesNotStartWith("ws-writer-");
        assertThat(interrupted.join()).isFalse();
        assertThat(clean.join()).as("a vanished peer is not a clean end").isFalse();
    }

    @Test
    void aClientThatAnswersASlowConsumerCloseHasNotClosedCleanly() throws InterruptedException {
        Peer peer = new Peer();
        peer.blocking = true;
        ConnectionSession session = open(peer, 2);
        CompletableFuture<Boolean> clean = new CompletableFuture<>();
        session.onEnd(clean::complete);
        session.send("first");
        assertThat(peer.sending.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            session.send("frame " + i);
        }
        assertThat(session.state()).isEqualTo(ConnectionSession.State.CLOSING);
        session.clientClosed();
        assertThat(clean.join()).isFalse();
    }

    @Test
    void aClientCloseWhileOpenIsClean() {
        ConnectionSession session = open(new Peer(), 10);
        CompletableFuture<Boolean> clean = new CompletableFuture<>();
        session.onEnd(clean::complete);
        session.clientClosed();
        assertThat(clean.join()).isTrue();
    }
}
