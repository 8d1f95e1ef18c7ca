package io.agentserver.service.autogpt;

import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.MessageAssembler;
import io.agentserver.service.hub.Connection;
import io.agentserver.service.hub.ConnectionEnd;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.OutboundWriter;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.web.LenientQueryDecoder;
import io.agentserver.service.web.OriginPolicy;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One AutoGPT {@code /ws} connection: token from the query string, accept-then-close refusals
 * (4001/4002/4003), client frames decoded by {@link SubscriptionCodec} and answered exactly as AutoGPT
 * does, subscriptions held in the {@link ExecutionFanOut}, every outbound frame through this socket's
 * own bounded {@link OutboundWriter}.
 */
final class AutoGptSocket implements WsListener, ExecutionSubscriber {

    private static final System.Logger LOG = System.getLogger(AutoGptSocket.class.getName());

    /** What every socket of the endpoint shares. */
    record Dependencies(AutoGptSettings settings, JwtVerifier jwt, ExecutionFanOut fanOut, SubscriptionCodec codec,
                        ConnectionRegistry registry, ServiceMetrics metrics, OriginPolicy origins, Clock clock,
                        Subscriptions subscriptions) {
    }

    private final Dependencies deps;
    private final MessageAssembler assembler;
    private volatile SocketSubscriptions subscriptions;
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private String token;
    private String connectionId;
    private String userId;
    private OutboundWriter writer;
    private WsSession session;
    private volatile boolean accepted;

    AutoGptSocket(Dependencies deps) {
        this.deps = deps;
        this.assembler = new MessageAssembler(deps.settings().maxMessageBytes());
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (!deps.origins().allowsWebSocket(origin)) {
            deps.metrics().handshakeRefused(Protocol.AUTOGPT, "origin");
            LOG.log(Level.INFO, "ws /ws refused origin=" + origin.orElse(""));
            throw new WsUpgradeException("origin not allowed");
        }
        Parameters query = LenientQueryDecoder.parse(prologue.query().rawValue());
        token = query.contains("token") ? query.get("token") : null;
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        connectionId = deps.registry().nextId(Protocol.AUTOGPT);
        writer = new OutboundWriter(connectionId, session, deps.settings().writerCapacity(), size -> slowConsumer())
                .start();
        writer.frameListener(text -> deps.metrics().frameOut(Protocol.AUTOGPT));
        TokenCheck check = deps.jwt().verify(token);
        switch (check) {
            case TokenCheck.Valid valid -> accept(valid.identity().userId());
            case TokenCheck.Missing missing ->
                    refuse(CloseCodes.MISSING_TOKEN, "Missing authentication token", "missing_token", "");
            case TokenCheck.NoSubject noSubject ->
                    refuse(CloseCodes.TOKEN_WITHOUT_SUBJECT, "Invalid token", "no_subject", "");
            case TokenCheck.Invalid invalid ->
                    refuse(CloseCodes.INVALID_TOKEN, "Invalid token", "invalid_token", invalid.reason());
        }
    }

    private void accept(String user) {
        userId = user;
        subscriptions = deps.subscriptions().forSocket(this, this::send);
        writer.onSendFailure(() -> disconnect(true));
        deps.registry().add(new Connection(connectionId, Protocol.AUTOGPT, userId, writer));
        deps.fanOut().connect(this);
        ConnectionEnd.watch(connectionId, () -> disconnect(true));
        accepted = true;
        LOG.log(Level.INFO, "ws open conn=" + connectionId + " path=/ws user=" + userId);
    }

    private void refuse(int code, String reason, String metricReason, String detail) {
        deps.metrics().handshakeRefused(Protocol.AUTOGPT, metricReason);
        LOG.log(Level.INFO, "ws refused conn=" + connectionId + " path=/ws code=" + code
                + (detail.isEmpty() ? "" : " detail=" + detail));
        writer.close(code, reason);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        MessageAssembler.Result part = assembler.add(text, last);
        if (part instanceof MessageAssembler.TooBig) {
            writer.close(CloseCodes.TOO_BIG, "message too big");
        }
        if (!(part instanceof MessageAssembler.Complete(String message))) {
            return;
        }
        deps.metrics().frameIn(Protocol.AUTOGPT);
        if (accepted) {
            handle(deps.codec().decode(message));
        }
    }

    private void handle(ClientCommand command) {
        SubscriptionCodec codec = deps.codec();
        switch (command) {
            case ClientCommand.Heartbeat heartbeat -> send(codec.heartbeatReply());
            case ClientCommand.SubscriptionCommand subscription -> subscriptions.handle(subscription);
            case ClientCommand.ClientError(String data) ->
                    LOG.log(Level.INFO, "client error conn=" + connectionId + " user=" + userId + " data=" + data);
            case ClientCommand.Rejected(String errorText) -> send(codec.error(errorText));
        }
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public void deliver(IngestedEvent event, EncodedFrame frame) {
        if (!subscriptions.admit(event, frame)) {
            return;
        }
        if (event.emittedAt().isEmpty()) {
            send(frame);
            return;
        }
        writer.execute(() -> {
            writer.sendNow(frame.text());
            deps.metrics().stepDelivered(Protocol.AUTOGPT,
                    Duration.between(event.emittedAt().get(), deps.clock().instant()));
        });
    }

    private void send(EncodedFrame frame) {
        writer.send(frame.text());
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        BufferData copy = buffer.copy();
        writer.execute(() -> session.pong(copy));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        disconnect(false);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.DEBUG, "ws error conn=" + connectionId + ": " + t);
    }

    /**
     * Overflow, called on the publisher's thread: queue a 1013 close, and drop the connection if the close
     * frame cannot get out (the writer is stuck behind a client that does not read).
     */
    private void slowConsumer() {
        if (!writer.isOpen()) {
            return;
        }
        LOG.log(Level.WARNING, "slow consumer conn=" + connectionId + " user=" + userId);
        deps.metrics().slowConsumerClosed(Protocol.AUTOGPT);
        writer.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        Thread.ofVirtual().name("ws-abort-" + connectionId).start(() -> {
            try {
                Thread.sleep(deps.settings().slowConsumerGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!disconnected.get() && session instanceof ServerConnection connection) {
                LOG.log(Level.INFO, "dropping slow consumer conn=" + connectionId);
                connection.close(true);
            }
        });
    }

    /** The connection's own thread ends however the connection ends; a close frame may never come. */

    private void disconnect(boolean abrupt) {
        if (!accepted || !disconnected.compareAndSet(false, true)) {
            return;
        }
        subscriptions.release();
        deps.registry().remove(connectionId);
        writer.stop();
        LOG.log(Level.INFO, "ws closed conn=" + connectionId + " user=" + userId + (abrupt ? " abrupt=true" : ""));
    }
}
