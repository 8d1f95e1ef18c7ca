package io.agentserver.service.hub;

import io.agentserver.service.observe.ServiceMetrics;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One socket's connection, whatever its protocol: the only writer of the socket (through its bounded
 * {@link OutboundWriter}), its place in the {@link ConnectionRegistry}, its limits, and one explicit state
 * changed atomically: {@code OPEN → CLOSING → CLOSED} (or straight to {@code CLOSED}).
 *
 * <ul>
 *   <li>{@code CLOSING}: this side decided to close (run over, refusal, drain, limit, slow consumer). Whoever
 *       closes says whether the end is <em>clean</em> (the conversation is over) or not (the client may come
 *       back: a drain, a slow consumer); the client's answer to that close does not change it.</li>
 *   <li>{@code CLOSED}: the connection ended (the client's close frame, a dropped TCP connection, a failed
 *       write). A client close frame while {@code OPEN} is a clean end. The writer is stopped and joined, the
 *       connection leaves the registry, and the protocol's {@link EndHandler} runs once, on a thread that is
 *       neither the writer nor interrupted.</li>
 * </ul>
 */
public final class ConnectionSession {

    private static final System.Logger LOG = System.getLogger(ConnectionSession.class.getName());
    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** Where a connection is in its life. */
    public enum State { OPEN, CLOSING, CLOSED }

    /** The outcome of registering the connection for its user. */
    public enum Admission { ADMITTED, TOO_MANY_CONNECTIONS, DRAINING }

    /** What the protocol does once the connection has ended. */
    @FunctionalInterface
    public interface EndHandler {
        /** @param clean the client closed, or this side closed because the conversation was over */
        void ended(boolean clean);
    }

    private final String id;
    private final Protocol protocol;
    private final WsSession ws;
    private final HubSettings settings;
    private final Duration closeGrace;
    private final ConnectionRegistry registry;
    private final ServiceMetrics metrics;
    private final OutboundWriter writer;
    private final MessageRate rate;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private volatile boolean cleanEnd;
    private volatile boolean registered;
    private volatile String userId = "";
    private volatile EndHandler endHandler = clean -> { };

    private ConnectionSession(Protocol protocol, WsSession ws, int capacity, Duration closeGrace, HubSettings settings,
                              ConnectionRegistry registry, ServiceMetrics metrics) {
        this.id = registry.nextId(protocol);
        this.protocol = protocol;
        this.ws = ws;
        this.settings = settings;
        this.closeGrace = closeGrace;
        this.registry = registry;
        this.metrics = metrics;
        this.rate = new MessageRate(settings.maxMessagesPerSecond(), settings.messageBurst(), System.nanoTime());
        this.writer = new OutboundWriter(id, ws, capacity, size -> slowConsumer());
    }

    /**
     * Call from {@code onOpen}, on the connection's own thread: sets up the writer and watches the connection
     * thread, whose end is the only sign of a TCP drop.
     *
     * @param capacity   frames queued before the client counts as a slow consumer
     * @param closeGrace how long a close frame may take before the TCP connection is dropped
     */
    public static ConnectionSession open(Protocol protocol, WsSession ws, int capacity, Duration closeGrace,
                                         HubSettings settings, ConnectionRegistry registry, ServiceMetrics metrics) {
        ConnectionSession session = new ConnectionSession(protocol, ws, capacity, closeGrace, settings, registry,
                metrics);
        session.writer.frameListener(new OutboundWriter.FrameListener() {
            @Override
            public void sent(int frames) {
                metrics.framesOut(protocol, frames);
            }

            @Override
            public void stepSent(Instant emittedAt) {
                metrics.stepDelivered(protocol, Duration.between(emittedAt, Instant.now()));
            }
        });
        // A failed write is reported on the writer thread; the end's work runs elsewhere.
        session.writer.onSendFailure(() -> Thread.ofVirtual().name("ws-end-" + session.id).start(() -> session.end(false)));
        ConnectionEnd.watch(session.id, () -> session.end(false));
        return session;
    }

    public String id() {
        return id;
    }

    public State state() {
        return state.get();
    }

    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    public void onEnd(EndHandler handler) {
        this.endHandler = handler;
    }

    /** Counts the socket for {@code user}; refused when the user is at the limit or the replica is draining. */
    public Admission register(String user) {
        this.userId = user;
        if (registry.isDraining()) {
            return Admission.DRAINING;
        }
        if (!registry.tryAdd(new Connection(id, protocol, user, this), settings.maxConnectionsPerUser())) {
            if (registry.isDraining()) {
                return Admission.DRAINING;
            }
            metrics.limitExceeded(protocol, "connections_per_user");
            return Admission.TOO_MANY_CONNECTIONS;
        }
        registered = true;
        if (state.get() == State.CLOSED) {
            registry.remove(id);
        }
        if (registry.isDraining()) {
            // Added while the drain was closing the others: it may have missed this one.
            close(CloseCodes.GOING_AWAY, ConnectionRegistry.GOING_AWAY_REASON, false);
        }
        return Admission.ADMITTED;
    }

    /** Queues a frame; false when the connection is closing or its queue overflowed. */
    public boolean send(String text) {
        return writer.send(text);
    }

    /** Queues a frame encoded once and shared with other sockets; false when closing or overflowed. */
    public boolean send(TextFrame frame) {
        return writer.send(frame);
    }

    /**
     * Queues a shared frame that carries a step emitted at {@code emittedAt}; the step latency histogram observes
     * it once the frame is written. False when closing or overflowed.
     */
    public boolean send(TextFrame frame, Instant emittedAt) {
        return writer.send(frame, emittedAt);
    }

    /** Runs {@code body} on the writer thread after everything queued before it. */
    public boolean execute(Runnable body) {
        return writer.execute(body);
    }

    /** Writes a frame now; only on the writer thread. True only when the frame was written. */
    public boolean writeNow(String text) {
        return writer.sendNow(text);
    }

    /** {@link #writeNow(String)} for a frame encoded already. */
    public boolean writeNow(TextFrame frame) {
        return writer.sendNow(frame);
    }

    /** Writes {@code frames} now, in order and batched into few socket writes; only on the writer. */
    public boolean writeNow(List<TextFrame> frames) {
        return writer.sendNow(frames);
    }

    /**
     * Answers a ping. A ping over 125 bytes breaks RFC 6455 (Helidon hands it to the listener all the same,
     * and no pong could carry it), so it closes the socket with 1002 instead.
     */
    public void pong(BufferData payload) {
        if (payload.available() > MAX_CONTROL_PAYLOAD) {
            close(CloseCodes.PROTOCOL_ERROR, "control frame too long", false);
            return;
        }
        writer.pong(payload);
    }

    /**
     * Takes one complete client message against the socket's rate; over it, the socket is closed with 1008
     * and the message must be dropped.
     */
    public boolean admitMessage() {
        metrics.frameIn(protocol);
        if (rate.admit(System.nanoTime())) {
            return true;
        }
        if (isOpen()) {
            metrics.limitExceeded(protocol, "message_rate");
            LOG.log(Level.INFO, "message rate exceeded conn=" + id + " user=" + userId);
        }
        close(CloseCodes.POLICY_VIOLATION, "too many messages", false);
        return false;
    }

    /** The client said it is leaving (in band): its close, when it comes, is a clean one. */
    public void clientLeaving() {
        if (state.get() == State.OPEN) {
            cleanEnd = true;
        }
    }

    /**
     * Closes from this side after what is queued, once; the connection is dropped if the close has not
     * completed within the close grace.
     *
     * @param clean whether the conversation is over (see {@link EndHandler#ended})
     */
    public void close(int code, String reason, boolean clean) {
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            cleanEnd = clean;
            writer.close(code, reason);
            abortAfterGrace();
        }
    }

    /** Overflow, on the producer's thread: 1013 ahead of anything queued, then the connection is dropped. */
    private void slowConsumer() {
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            cleanEnd = false;
            LOG.log(Level.WARNING, "slow consumer conn=" + id + " user=" + userId);
            metrics.slowConsumerClosed(protocol);
            writer.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
            abortAfterGrace();
        }
    }

    private void abortAfterGrace() {
        Thread.ofVirtual().name("ws-abort-" + id).start(() -> {
            try {
                Thread.sleep(closeGrace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (state.get() != State.CLOSED) {
                LOG.log(Level.INFO, "dropping connection conn=" + id + " (close not completed)");
                if (ws instanceof ServerConnection connection) {
                    connection.close(true);
                } else {
                    end(false);
                }
            }
        });
    }

    /** Call from {@code onClose}: the client's close frame arrived; returns once the writer has stopped. */
    public void clientClosed() {
        end(true);
    }

    private void end(boolean byClientClose) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        boolean clean = previous == State.OPEN ? byClientClose || cleanEnd : cleanEnd;
        writer.stop();
        if (!writer.awaitStopped(settings.writerJoinTimeout())) {
            LOG.log(Level.WARNING, "writer did not stop conn=" + id);
        }
        String endedBy = byClientClose ? "client" : previous == State.OPEN ? "drop" : "server";
        LOG.log(Level.INFO, "ws closed conn=" + id + " user=" + userId + " by=" + endedBy + " clean=" + clean);
        boolean interrupted = Thread.interrupted();
        try {
            endHandler.ended(clean);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "end of connection handling failed conn=" + id, e);
        } finally {
            // Last, so that a connection counted as gone has done its end's work (cursor stored, run told).
            if (registered) {
                registry.remove(id);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a listener body so that it never throws: Helidon would answer an exception with 1011 and end the
     * connection. A failure is logged once with the connection's identity and reported by {@code onFailure}.
     */
    public void guard(String what, Runnable body, Runnable onFailure) {
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed conn=" + id + " user=" + userId, e);
            try {
                onFailure.run();
            } catch (RuntimeException again) {
                LOG.log(Level.DEBUG, "failure report failed conn=" + id + ": " + again);
            }
        }
    }
}
