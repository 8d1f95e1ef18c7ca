package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.MessageAssembler;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.User;
import io.agentserver.service.web.LenientQueryDecoder;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the four XAgent sockets share: one instance per connection, path and query read at the upgrade,
 * the connect handshake, message reassembly with a size cap, in-band errors, and the connection's
 * {@link ConnectionSession}, which tells a clean end (the client's close or {@code disconnect}, or the end
 * of the log) from a vanished client. No listener method throws.
 */
abstract class XAgentSocket implements WsListener {

    private static final System.Logger LOG = System.getLogger(XAgentSocket.class.getName());
    static final String TOO_MANY_CONNECTIONS = "too many connections, please close another one!";
    static final String SHUTTING_DOWN = "server shutting down, please reconnect!";
    static final String INTERNAL_ERROR = "internal server error";

    protected final XAgentDependencies deps;
    protected String interactionId = "";
    protected String userId = "";
    protected String token = "";
    protected Parameters query;
    protected ConnectionSession session;
    protected volatile StepStream stream;
    private String path = "";
    private final MessageAssembler assembler;
    private volatile boolean accepted;
    /** The socket was sent the whole log; its close stops nothing. */
    protected volatile boolean logComplete;
    private volatile boolean trackDelivery;
    private volatile long writtenSeq = -1;
    private volatile long persistedSeq = -1;
    private volatile TokenExpiry.Watch tokenExpiry = TokenExpiry.Watch.NONE;

    XAgentSocket(XAgentDependencies deps) {
        this.deps = deps;
        this.assembler = new MessageAssembler(deps.settings().maxMessageBytes());
    }

    /** Checks the client and sends the connect frame; returns false after a refusal was sent. */
    protected abstract boolean connect(User user);

    /** A client frame with a {@code type} other than ping and connect. */
    protected abstract void onFrame(String type, JsonNode frame);

    /** The client went away; {@code abrupt} when it may come back (no close of its own, or this side's drain). */
    protected abstract void onDisconnect(boolean abrupt);

    /** The status value of this socket's refused connect frame. */
    protected String refusalStatus() {
        return "connect";
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (!deps.origins().allowsWebSocket(origin)) {
            deps.metrics().handshakeRefused(Protocol.XAGENT, "origin");
            LOG.log(Level.INFO, "ws refused path=" + prologue.uriPath().path() + " origin=" + origin.orElse(""));
            throw new WsUpgradeException("origin not allowed");
        }
        path = prologue.uriPath().path();
        interactionId = path.substring(path.lastIndexOf('/') + 1);
        query = LenientQueryDecoder.parse(prologue.query().rawValue());
        userId = param("user_id");
        token = param("token");
        return Optional.empty();
    }

    protected String param(String name) {
        return query != null && query.contains(name) ? query.get(name) : "";
    }

    @Override
    public void onOpen(WsSession ws) {
        session = ConnectionSession.open(Protocol.XAGENT, ws, deps.settings().writerCapacity(),
                deps.hub().closeGrace(), deps.hub(), deps.registry(), deps.metrics());
        session.onEnd(this::ended);
        session.guard("open", this::authenticate, () -> refuse(INTERNAL_ERROR));
    }

    private void authenticate() {
        switch (deps.users().check(userId, token)) {
            case XAgentUsers.Accepted(User user, Optional<Instant> tokenExpires) -> {
                admit(user);
                closeWhenTokenExpires(tokenExpires);
            }
            case XAgentUsers.Refused(String reason) -> refuse(reason);
        }
    }

    private void admit(User user) {
        switch (session.register(user.userId())) {
            case TOO_MANY_CONNECTIONS -> refuse(TOO_MANY_CONNECTIONS, CloseCodes.POLICY_VIOLATION, "too many connections");
            case DRAINING -> refuse(SHUTTING_DOWN, CloseCodes.GOING_AWAY, ConnectionRegistry.GOING_AWAY_REASON);
            case ADMITTED -> {
                LOG.log(Level.INFO, "ws open conn=" + session.id() + " path=" + path + " user=" + userId);
                accepted = connect(user);
            }
        }
    }

    /**
     * A socket opened with a JWT as its token closes with 4004 when the token expires ({@code exp} plus the
     * leeway); a user-directory token does not expire. Not a clean end: a run keeps its disconnect grace.
     */
    private void closeWhenTokenExpires(Optional<Instant> tokenExpires) {
        if (accepted) {
            tokenExpires.ifPresent(at -> tokenExpiry = deps.users().tokenExpiry().at(at, () -> {
                LOG.log(Level.INFO, "ws token expired conn=" + session.id() + " path=" + path + " user=" + userId);
                session.close(CloseCodes.TOKEN_EXPIRED, "token expired", false);
            }));
        }
    }

    /** Sends the refusal frame and closes with 1000, as XAgent does. */
    protected boolean refuse(String reason) {
        return refuse(reason, CloseCodes.NORMAL, "");
    }

    private boolean refuse(String reason, int code, String closeReason) {
        LOG.log(Level.INFO, "ws refused conn=" + session.id() + " user=" + userId + " reason=" + reason);
        deps.metrics().handshakeRefused(Protocol.XAGENT,
                reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason);
        session.send(XAgentFrames.refused(refusalStatus(), reason));
        session.close(code, closeReason, true);
        return false;
    }

    protected void sendConnected(Interaction interaction) {
        session.send(XAgentFrames.connected(InteractionView.of(interaction)));
    }

    protected void sendError(String message) {
        session.send(XAgentFrames.error(message));
    }

    /** Streams the step log from {@code fromSeq}; closes with 1000 once the log is complete. */
    protected void startStream(long fromSeq, Supplier<Duration> pacing, boolean trackDelivery) {
        if (stream != null) {
            return;
        }
        this.trackDelivery = trackDelivery;
        stream = new StepStream(interactionId, deps.stores(), deps.runs().localEvents(), session, deps.timer(),
                pacing, new StepStream.Sink() {
            @Override
            public void delivered(Step step) {
                // Playback (replay, share) sends steps that may be days old: their age is not delivery latency.
                if (trackDelivery) {
                    deps.metrics().stepDelivered(Protocol.XAGENT,
                            Duration.between(step.createTime(), deps.clock().instant()));
                }
                writtenSeq = step.seq();
            }

            @Override
            public void checkpoint() {
                persistCursor();
            }

            @Override
            public void ended() {
                logComplete = true;
                persistCursor();
                session.close(CloseCodes.NORMAL, "", true);
            }
        });
        stream.start(deps.broker(), fromSeq);
        deps.keepAlive().add(session);
    }

    /**
     * Stores how far this socket's writes got, when it moved: on the stream's tick, at the end of the log and
     * when the connection ends, never once per frame. A step whose write failed never counts.
     */
    private void persistCursor() {
        long written = writtenSeq;
        if (trackDelivery && written > persistedSeq) {
            deps.cursor().delivered(interactionId, written);
            persistedSeq = written;
        }
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        session.guard("message", () -> receive(text, last), () -> sendError(INTERNAL_ERROR));
    }

    private void receive(String text, boolean last) {
        MessageAssembler.Result part = assembler.add(text, last);
        if (part instanceof MessageAssembler.TooBig) {
            session.close(CloseCodes.TOO_BIG, "message too big", true);
            return;
        }
        if (!(part instanceof MessageAssembler.Complete(String message))) {
            return;
        }
        if (!session.admitMessage()) {
            return;
        }
        if (accepted) {
            handle(message);
        }
    }

    private void handle(String message) {
        Optional<JsonNode> parsed = Json.parse(message);
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            sendError("message is not a JSON object");
            return;
        }
        JsonNode frame = parsed.get();
        if (!frame.path("type").isTextual()) {
            sendError("message has no \"type\"");
            return;
        }
        String type = frame.path("type").asText();
        switch (type) {
            case "ping", "connect" -> {
            }
            case "disconnect" -> {
                session.clientLeaving();
                onFrame(type, frame);
            }
            default -> onFrame(type, frame);
        }
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        session.guard("ping", () -> session.pong(buffer), () -> { });
    }

    /** Returns once the writer has stopped: Helidon answers the client's close after this returns. */
    @Override
    public void onClose(WsSession ws, int status, String reason) {
        session.guard("close", session::clientClosed, () -> { });
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        LOG.log(Level.DEBUG, "ws error conn=" + session.id() + ": " + t);
    }

    /** The connection ended; runs once, off the writer thread, after the writer stopped. */
    private void ended(boolean clean) {
        tokenExpiry.cancel();
        deps.keepAlive().remove(session);
        StepStream current = stream;
        if (current != null) {
            current.close();
        }
        persistCursor();
        if (accepted) {
            onDisconnect(!clean);
        }
    }
}
