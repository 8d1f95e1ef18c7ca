package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.Connection;
import io.agentserver.service.hub.ConnectionEnd;
import io.agentserver.service.hub.MessageAssembler;
import io.agentserver.service.hub.OutboundWriter;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What the four XAgent sockets share: one instance per connection, path and query read at the upgrade,
 * the connect handshake, message reassembly with a size cap, in-band errors, and telling a clean close
 * (close frame or {@code disconnect}) from a vanished client.
 */
abstract class XAgentSocket implements WsListener {

    private static final System.Logger LOG = System.getLogger(XAgentSocket.class.getName());

    protected final XAgentDependencies deps;
    protected String interactionId = "";
    protected String userId = "";
    protected String token = "";
    protected Parameters query;
    protected OutboundWriter writer;
    protected StepStream stream;
    private String path = "";
    private String connectionId;
    private final MessageAssembler assembler;
    private boolean accepted;
    private volatile boolean cleanClose;
    /** The socket was sent the whole log; its close stops nothing. */
    protected volatile boolean logComplete;
    private final AtomicBoolean disconnected = new AtomicBoolean();

    XAgentSocket(XAgentDependencies deps) {
        this.deps = deps;
        this.assembler = new MessageAssembler(deps.settings().maxMessageBytes());
    }

    /** Checks the client and sends the connect frame; returns false after a refusal was sent. */
    protected abstract boolean connect(User user);

    /** A client frame with a {@code type} other than ping and connect. */
    protected abstract void onFrame(String type, JsonNode frame);

    /** The client went away; {@code abrupt} when no close frame arrived. */
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
    public void onOpen(WsSession session) {
        connectionId = deps.registry().nextId(Protocol.XAGENT);
        writer = new OutboundWriter(connectionId, session, deps.settings().writerCapacity(),
                size -> {
                    LOG.log(Level.WARNING, "slow consumer conn=" + connectionId + " interaction=" + interactionId);
                    deps.metrics().slowConsumerClosed(Protocol.XAGENT);
                    // Like a vanished client: the run goes on for the grace period and the client may resume.
                    writer.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
                }).start();
        writer.frameListener(text -> deps.metrics().frameOut(Protocol.XAGENT));
        writer.onSendFailure(() -> disconnect(true));
        deps.registry().add(new Connection(connectionId, Protocol.XAGENT, userId, writer));
        ConnectionEnd.watch(connectionId, () -> disconnect(!cleanClose));
        LOG.log(Level.INFO, "ws open conn=" + connectionId + " path=" + path + " user=" + userId);
        XAgentUsers.Check check = deps.users().check(userId, token);
        accepted = switch (check) {
            case XAgentUsers.Accepted(User user) -> connect(user);
            case XAgentUsers.Refused(String reason) -> refuse(reason);
        };
    }

    /** Sends the refusal frame and closes with 1000, as XAgent does. */
    protected boolean refuse(String reason) {
        LOG.log(Level.INFO, "ws refused conn=" + connectionId + " user=" + userId + " reason=" + reason);
        deps.metrics().handshakeRefused(Protocol.XAGENT, reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason);
        writer.send(XAgentFrames.refused(refusalStatus(), reason));
        closeFromServer(CloseCodes.NORMAL, "");
        return false;
    }

    /** A close this side decided on is a clean end, whether or not the client answers it. */
    protected void closeFromServer(int code, String reason) {
        cleanClose = true;
        writer.close(code, reason);
    }

    protected void sendConnected(Interaction interaction) {
        writer.send(XAgentFrames.connected(InteractionView.of(interaction)));
    }

    protected void sendError(String message) {
        writer.send(XAgentFrames.error(message));
    }

    /** Streams the step log from {@code fromSeq}; closes with 1000 once the log is complete. */
    protected void startStream(long fromSeq, Supplier<Duration> pacing, boolean trackDelivery) {
        if (stream != null) {
            return;
        }
        stream = new StepStream(interactionId, deps.stores(), writer, pacing,
                step -> {
                    deps.metrics().stepDelivered(Protocol.XAGENT,
                            java.time.Duration.between(step.createTime(), deps.clock().instant()));
                    if (trackDelivery) {
                        deps.cursor().delivered(interactionId, step.seq());
                    }
                },
                () -> {
                    logComplete = true;
                    closeFromServer(CloseCodes.NORMAL, "");
                });
        stream.start(deps.broker(), fromSeq);
        deps.keepAlive().add(writer);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        MessageAssembler.Result part = assembler.add(text, last);
        if (part instanceof MessageAssembler.TooBig) {
            closeFromServer(CloseCodes.TOO_BIG, "message too big");
        }
        if (!(part instanceof MessageAssembler.Complete(String message))) {
            return;
        }
        deps.metrics().frameIn(Protocol.XAGENT);
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
                cleanClose = true;
                onFrame(type, frame);
            }
            default -> onFrame(type, frame);
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        BufferData copy = buffer.copy();
        writer.execute(() -> session.pong(copy));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        cleanClose = true;
        disconnect(false);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.DEBUG, "ws error conn=" + connectionId + ": " + t);
    }


    private void disconnect(boolean abrupt) {
        if (!disconnected.compareAndSet(false, true)) {
            return;
        }
        if (stream != null) {
            stream.close();
        }
        deps.keepAlive().remove(writer);
        deps.registry().remove(connectionId);
        writer.stop();
        LOG.log(Level.INFO, "ws closed conn=" + connectionId + " interaction=" + interactionId
                + (abrupt ? " abrupt=true" : ""));
        if (accepted) {
            try {
                onDisconnect(abrupt);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "disconnect handling failed conn=" + connectionId, e);
            }
        }
    }
}
