package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.RunViewers;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.ProtocolHandler;
import io.agentserver.service.hub.UpgradeRequest;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.User;
import io.agentserver.service.stream.StepCursor;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;

/**
 * What the four XAgent sockets share, as the protocol side of one connection: the connect handshake (user and
 * token from the query), in-band errors, and the stream of the interaction's step log through a
 * {@link StepCursor} into an {@link XAgentStepView}. A live viewer (a socket that runs or resumes the interaction)
 * is recorded in {@link RunViewers}, with what its client provably received. Everything here runs on the
 * connection's work queue; nothing throws to the listener.
 */
abstract class XAgentSocket implements ProtocolHandler {

    private static final System.Logger LOG = System.getLogger(XAgentSocket.class.getName());
    static final String TOO_MANY_CONNECTIONS = "too many connections, please close another one!";
    static final String SHUTTING_DOWN = "server shutting down, please reconnect!";
    static final String INTERNAL_ERROR = "internal server error";

    protected final XAgentDependencies deps;
    protected final String interactionId;
    protected final String userId;
    private final String token;
    private final UpgradeRequest request;
    protected ConnectionSession session;
    private boolean accepted;
    private StepCursor cursor;
    private XAgentStepView view;
    private RunViewers.Viewer viewer;
    private volatile TokenExpiry.Watch tokenExpiry = TokenExpiry.Watch.NONE;

    XAgentSocket(XAgentDependencies deps, UpgradeRequest request) {
        this.deps = deps;
        this.request = request;
        this.interactionId = request.lastSegment();
        this.userId = request.param("user_id");
        this.token = request.param("token");
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

    protected String param(String name) {
        return request.param(name);
    }

    @Override
    public void opened(ConnectionSession session) {
        this.session = session;
        session.onAck(this::acked);
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
                LOG.log(Level.INFO, "ws open conn=" + session.id() + " path=" + request.path() + " user=" + userId);
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
                LOG.log(Level.INFO, "ws token expired conn=" + session.id() + " path=" + request.path() + " user=" + userId);
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
        deps.metrics().handshakeRefused(session.protocol(),
                reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason);
        session.send(XAgentFrames.refused(refusalStatus(), reason));
        session.close(code, closeReason, true);
        return false;
    }

    @Override
    public void failed() {
        if (accepted) {
            sendError(INTERNAL_ERROR);
        } else if (session != null && session.isOpen()) {
            refuse(INTERNAL_ERROR);
        }
    }

    protected void sendConnected(Interaction interaction) {
        session.send(XAgentFrames.connected(InteractionView.of(interaction)));
    }

    protected void sendError(String message) {
        session.send(XAgentFrames.error(message));
    }

    /**
     * Records this socket as a live viewer of the run, having received every step before {@code fromSeq}: the run
     * goes on while it watches, and a reconnect resumes no later than what it provably received.
     */
    protected void watch(long fromSeq) {
        if (viewer == null) {
            viewer = deps.runs().viewers().open(interactionId, fromSeq);
        }
    }

    /** Streams the step log from {@code fromSeq}; the socket closes with 1000 once the log is complete. */
    protected void startStream(long fromSeq, XAgentStepView.Pacing pacing, boolean live) {
        if (cursor != null) {
            return;
        }
        view = new XAgentStepView(session, pacing, live, deps.playback());
        cursor = deps.feed().open(interactionId, fromSeq, view, session.work());
        deps.keepAlive().add(session);
    }

    /** True once the whole log was sent: the socket's close then stops nothing. */
    protected boolean logComplete() {
        return view != null && view.complete();
    }

    /** The client said it leaves: it no longer counts as a viewer, and its close will be clean. */
    protected void leaving() {
        session.clientLeaving();
        if (viewer != null) {
            viewer.closed();
            viewer = null;
        }
    }

    private void acked(long seq) {
        RunViewers.Viewer current = viewer;
        if (current != null) {
            current.acked(seq);
        }
    }

    @Override
    public void message(String message) {
        if (!accepted) {
            return;
        }
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
            default -> onFrame(type, frame);
        }
    }

    /** The connection ended; runs once, last on the connection's work. */
    @Override
    public void ended(boolean clean) {
        tokenExpiry.cancel();
        if (session != null) {
            deps.keepAlive().remove(session);
        }
        if (cursor != null) {
            cursor.close();
        }
        if (viewer != null) {
            if (clean) {
                viewer.closed();
            } else {
                viewer.dropped();
            }
            viewer = null;
        }
        if (accepted) {
            onDisconnect(!clean);
        }
    }
}
