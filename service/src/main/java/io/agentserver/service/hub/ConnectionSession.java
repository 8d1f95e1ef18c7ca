package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import io.agentserver.service.observe.ServiceMetrics;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;

/**
 * One socket's connection, whatever its protocol: its bounded {@link OutboundWriter} (the only writer of the
 * socket), its {@link ConnectionWork} (the protocol's work, in order), its place in the
 * {@link ConnectionRegistry}, its limits, its liveness, and one explicit state changed atomically:
 * {@code OPEN → CLOSING → CLOSED} (or straight to {@code CLOSED}).
 *
 * <ul>
 *   <li>{@code CLOSING}: this side decided to close (run over, refusal, drain, limit, slow consumer). Whoever
 *       closes says whether the end is <em>clean</em> (the conversation is over) or not (the client may come
 *       back: a drain, a slow consumer); the client's answer to that close does not change it.</li>
 *   <li>{@code CLOSED}: the connection ended (the client's close frame, a dropped TCP connection, a failed
 *       write, a peer that stopped answering pings). A client close frame while {@code OPEN} is a clean end.
 *       The writer is stopped, the connection leaves the registry, and the protocol's {@link EndHandler} runs
 *       once, as the last task of the connection's work.</li>
 * </ul>
 *
 * <p>Liveness: the replica's {@link LivenessMonitor} calls {@link #tick} a few times a second. A socket that sent
 * nothing for the protocol's ping interval is pinged; one whose ping stays unanswered past the pong deadline is
 * dropped; a socket whose connection thread ended (a TCP drop Helidon reports to nobody) ends. When the protocol
 * asks for acknowledgements, a socket with frames written since its last answered ping is pinged at once (one ping
 * out at a time), and every answered ping reports the last view position written before it ({@link #onAck}): that
 * is what the client provably received.
 */
public final class ConnectionSession implements Connection.Session {

    private static final System.Logger LOG = System.getLogger(ConnectionSession.class.getName());
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final long NONE = Long.MIN_VALUE;

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
    private final SocketSettings settings;
    private final HubSettings hubSettings;
    private final WsSession ws;
    private final Thread connectionThread;
    private final ConnectionRegistry registry;
    private final LivenessMonitor monitor;
    private final ServiceMetrics metrics;
    private final OutboundWriter writer;
    private final ConnectionWork work;
    private final MessageRate rate;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private volatile boolean cleanEnd;
    private volatile boolean registered;
    private volatile String userId = "";
    private volatile EndHandler endHandler = clean -> { };
    private volatile LongConsumer ackListener = tag -> { };
    /** When a close this side sent must have completed (System.nanoTime()), or NONE. */
    private volatile long closeDeadline = NONE;
    private final Liveness liveness;

    private ConnectionSession(SocketSettings settings, WsSession ws, Hub hub) {
        this.id = hub.registry().nextId(settings.protocol());
        this.settings = settings;
        this.hubSettings = hub.settings();
        this.ws = ws;
        this.connectionThread = Thread.currentThread();
        this.registry = hub.registry();
        this.monitor = hub.monitor();
        this.metrics = hub.metrics();
        this.rate = new MessageRate(hubSettings.maxMessagesPerSecond(), hubSettings.messageBurst(), System.nanoTime());
        this.writer = new OutboundWriter(id, ws, settings.writerMaxBytes(), this::slowConsumer);
        this.work = new ConnectionWork(id);
        this.liveness = new Liveness(settings, writer, this::isOpen, System.nanoTime());
    }

    /**
     * Call from {@code onOpen}, on the connection's own thread: sets up the writer and puts the connection under
     * the liveness monitor, which also notices the end of that thread (the only sign of a TCP drop).
     */
    public static ConnectionSession open(SocketSettings settings, WsSession ws, Hub hub) {
        ConnectionSession session = new ConnectionSession(settings, ws, hub);
        Protocol protocol = settings.protocol();
        ServiceMetrics metrics = hub.metrics();
        session.writer.frameListener(new OutboundWriter.FrameListener() {
            @Override
            public void sent(int frames) {
                metrics.framesOut(protocol, frames);
            }

            @Override
            public void stepSent(long emittedAtMillis) {
                metrics.stepDelivered(protocol, Duration.ofMillis(Math.max(0,
                        System.currentTimeMillis() - emittedAtMillis)));
            }

            @Override
            public void positionWritten(long lastTag) {
                session.liveness.written(lastTag, System.nanoTime());
            }

            @Override
            public void pingSent(long pingId, long lastTag) {
                session.liveness.pingWritten(pingId, lastTag);
            }
        });
        session.writer.onSendFailure(() -> session.end(false));
        hub.monitor().add(session);
        return session;
    }

    public String id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public Protocol protocol() {
        return settings.protocol();
    }

    public State state() {
        return state.get();
    }

    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** False once the connection ended or its TCP connection is gone (even before the monitor noticed). */
    @Override
    public boolean connectionAlive() {
        return state.get() != State.CLOSED && connectionThread.isAlive();
    }

    /** True when frames are written as bytes to the connection (always, on a real server connection). */
    public boolean writesDirectly() {
        return writer.direct();
    }

    /** The connection's protocol work: every blocking step of the protocol runs here, in order. */
    public ConnectionWork work() {
        return work;
    }

    public void onEnd(EndHandler handler) {
        this.endHandler = handler;
    }

    /**
     * Tells {@code listener} the view position (a frame's tag) up to which the client has provably received what
     * it was sent, each time that grows. Called on the connection's thread; must not block.
     */
    public void onAck(LongConsumer listener) {
        this.ackListener = listener;
    }

    /** Counts the socket for {@code user}; refused when the user is at the limit or the replica is draining. */
    public Admission register(String user) {
        this.userId = user;
        if (registry.isDraining()) {
            return Admission.DRAINING;
        }
        if (!registry.tryAdd(new Connection(id, settings.protocol(), user, this), hubSettings.maxConnectionsPerUser())) {
            if (registry.isDraining()) {
                return Admission.DRAINING;
            }
            metrics.limitExceeded(settings.protocol(), "connections_per_user");
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

    /** Queues a frame that must go out; false when closing or the client is too slow (then it is closed). */
    public boolean send(String text) {
        return writer.send(text);
    }

    /** Queues a frame encoded once and shared with other sockets; false when closing or too slow. */
    public boolean send(TextFrame frame) {
        return writer.send(frame);
    }

    /** Queues a shared frame carrying a step emitted at {@code emittedAtMillis}; its latency is observed once written. */
    public boolean send(TextFrame frame, long emittedAtMillis) {
        return writer.send(frame, -1, emittedAtMillis);
    }

    /** Queues a frame of a producer that can wait; see {@link OutboundWriter#offer}. */
    public OutboundWriter.Offer offer(TextFrame frame, long tag, long emittedAtMillis) {
        return writer.offer(frame, tag, emittedAtMillis);
    }

    /** Bytes queued for the socket and not yet written. */
    public long queuedBytes() {
        return writer.pendingBytes();
    }

    /** Runs {@code resume} once the outbound queue is empty; it must only hand work on. */
    public void whenDrained(Runnable resume) {
        writer.whenDrained(resume);
    }

    /**
     * Answers a ping. A ping over 125 bytes breaks RFC 6455 (Helidon hands it to the listener all the same,
     * and no pong could carry it), so it closes the socket with 1002 instead.
     */
    public void pong(BufferData payload) {
        liveness.heard(System.nanoTime());
        if (payload.available() > MAX_CONTROL_PAYLOAD) {
            close(CloseCodes.PROTOCOL_ERROR, "control frame too long", false);
            return;
        }
        writer.pong(payload.copy().readBytes());
    }

    /** A pong arrived: it proves the client received everything written before the ping it answers. */
    public void pongReceived(BufferData payload) {
        liveness.pong(payload.copy().readBytes(), System.nanoTime()).ifPresent(ackListener);
    }

    /**
     * Takes one complete client message against the socket's rate; over it, the socket is closed with 1008
     * and the message must be dropped.
     */
    public boolean admitMessage() {
        liveness.heard(System.nanoTime());
        metrics.frameIn(settings.protocol());
        if (rate.admit(System.nanoTime())) {
            return true;
        }
        if (isOpen()) {
            metrics.limitExceeded(settings.protocol(), "message_rate");
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
            closeDeadline = System.nanoTime() + settings.closeGrace().toNanos();
            writer.close(code, reason);
        }
    }

    /** Overflow, on the producer's thread: 1013 ahead of anything queued, then the connection is dropped. */
    private void slowConsumer() {
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            cleanEnd = false;
            LOG.log(Level.WARNING, "slow consumer conn=" + id + " user=" + userId);
            metrics.slowConsumerClosed(settings.protocol());
            closeDeadline = System.nanoTime() + settings.closeGrace().toNanos();
            writer.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        }
    }

    /** Call from {@code onClose}: the client's close frame arrived; returns once the writer has stopped. */
    public void clientClosed() {
        if (end(true)) {
            if (!writer.awaitStopped(hubSettings.writerJoinTimeout())) {
                LOG.log(Level.WARNING, "writer did not stop conn=" + id);
            }
        }
    }

    /**
     * Called by the {@link LivenessMonitor}, a few times a second, on its thread: never blocks. Ends a connection
     * whose thread ended, drops one whose close or ping went unanswered too long, and queues the pings that are
     * due.
     */
    void tick(long now) {
        if (!connectionThread.isAlive()) {
            end(false);
            return;
        }
        State current = state.get();
        if (current == State.CLOSED) {
            return;
        }
        long deadline = closeDeadline;
        if (current == State.CLOSING && deadline != NONE && now - deadline > 0) {
            abort("close not completed");
            return;
        }
        if (liveness.tick(now) == Liveness.Verdict.UNANSWERED) {
            metrics.unresponsiveDropped(settings.protocol());
            abort("no pong within " + settings.pongDeadline().toMillis() + " ms");
        }
    }

    /** Drops the TCP connection now; the end follows as abrupt. */
    private void abort(String why) {
        LOG.log(Level.INFO, "dropping connection conn=" + id + " user=" + userId + " (" + why + ")");
        if (ws instanceof ServerConnection connection) {
            connection.close(true);
        }
        end(false);
    }

    /** True for the call that ended the connection. */
    private boolean end(boolean byClientClose) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return false;
        }
        boolean clean = previous == State.OPEN ? byClientClose || cleanEnd : cleanEnd;
        if (byClientClose && previous == State.CLOSING) {
            liveness.closeAnswered().ifPresent(ackListener);
        }
        writer.stop();
        monitor.remove(this);
        String endedBy = byClientClose ? "client" : previous == State.OPEN ? "drop" : "server";
        work.finish(() -> {
            if (!writer.awaitStopped(hubSettings.writerJoinTimeout())) {
                LOG.log(Level.WARNING, "writer did not stop conn=" + id);
            }
            LOG.log(Level.INFO, "ws closed conn=" + id + " user=" + userId + " by=" + endedBy + " clean=" + clean);
            try {
                endHandler.ended(clean);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "end of connection handling failed conn=" + id, e);
            } finally {
                // Last, so that a connection counted as gone has done its end's work (viewer left, run told).
                if (registered) {
                    registry.remove(id);
                }
            }
        });
        return true;
    }

    /**
     * Runs a body so that it never throws: Helidon would answer an exception with 1011 and end the connection. A
     * failure is logged once with the connection's identity and reported by {@code onFailure}.
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
