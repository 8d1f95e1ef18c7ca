package io.agentserver.service.autogpt;

import io.agentserver.service.auth.Identity;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.MessageAssembler;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.hub.TextFrame;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.web.LenientQueryDecoder;
import io.agentserver.service.web.OriginPolicy;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One AutoGPT {@code /ws} connection: token from the query string, accept-then-close refusals
 * (4001/4002/4003), client frames decoded by {@link SubscriptionCodec} and answered exactly as AutoGPT
 * does, subscriptions held in the {@link ExecutionFanOut}, every outbound frame through this socket's
 * own {@link ConnectionSession}.
 */
final class AutoGptSocket implements WsListener, ExecutionSubscriber {

    private static final System.Logger LOG = System.getLogger(AutoGptSocket.class.getName());

    /** What every socket of the endpoint shares. */
    record Dependencies(AutoGptSettings settings, HubSettings hub, JwtVerifier jwt, ExecutionFanOut fanOut,
                        SubscriptionCodec codec, ConnectionRegistry registry, ServiceMetrics metrics,
                        OriginPolicy origins, Clock clock, Subscriptions subscriptions) {
    }

    private static final String INTERNAL_ERROR = "Internal error";

    private final Dependencies deps;
    private final MessageAssembler assembler;
    private volatile SocketSubscriptions subscriptions;
    private String token;
    private volatile String userId = "";
    private ConnectionSession session;
    private volatile boolean accepted;
    private volatile TokenExpiry.Watch tokenExpiry = TokenExpiry.Watch.NONE;

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
    public void onOpen(WsSession ws) {
        session = ConnectionSession.open(Protocol.AUTOGPT, ws, deps.settings().writerCapacity(),
                deps.settings().slowConsumerGrace(), deps.hub(), deps.registry(), deps.metrics());
        session.onEnd(clean -> disconnect());
        session.guard("open", () -> authenticate(deps.jwt().verify(token)),
                () -> session.close(CloseCodes.INTERNAL_ERROR, "internal error", true));
    }

    private void authenticate(TokenCheck check) {
        switch (check) {
            case TokenCheck.Valid valid -> {
                accept(valid.identity().userId());
                closeWhenTokenExpires(valid.identity());
            }
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
        switch (session.register(user)) {
            case TOO_MANY_CONNECTIONS -> refuse(CloseCodes.POLICY_VIOLATION, "too many connections",
                    "too_many_connections", "user=" + user);
            case DRAINING -> refuse(CloseCodes.GOING_AWAY, ConnectionRegistry.GOING_AWAY_REASON, "draining", "");
            case ADMITTED -> {
                subscriptions = deps.subscriptions().forSocket(this, this::send, this::sendAll);
                deps.fanOut().connect(this);
                accepted = true;
                LOG.log(Level.INFO, "ws open conn=" + session.id() + " path=/ws user=" + userId);
            }
        }
    }

    /** Closes the socket with 4004 when its token expires ({@code exp} plus the leeway); cancelled when it ends first. */
    private void closeWhenTokenExpires(Identity identity) {
        if (accepted) {
            identity.expiresAt().ifPresent(at -> tokenExpiry = deps.jwt().expiry().at(at, () -> {
                LOG.log(Level.INFO, "ws token expired conn=" + session.id() + " path=/ws user=" + userId);
                session.close(CloseCodes.TOKEN_EXPIRED, "token expired", false);
            }));
        }
    }

    private void refuse(int code, String reason, String metricReason, String detail) {
        deps.metrics().handshakeRefused(Protocol.AUTOGPT, metricReason);
        LOG.log(Level.INFO, "ws refused conn=" + session.id() + " path=/ws code=" + code
                + (detail.isEmpty() ? "" : " detail=" + detail));
        session.close(code, reason, true);
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        session.guard("message", () -> receive(text, last), () -> send(deps.codec().error(INTERNAL_ERROR)));
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
            handle(deps.codec().decode(message));
        }
    }

    /** One client command, answered exactly as AutoGPT's server answers it. */
    private void handle(ClientCommand command) {
        SubscriptionCodec codec = deps.codec();
        switch (command) {
            case ClientCommand.Heartbeat heartbeat -> send(codec.heartbeatReply());
            case ClientCommand.SubscriptionCommand subscription -> subscriptions.handle(subscription);
            case ClientCommand.ClientError(String data) ->
                    LOG.log(Level.INFO, "client error conn=" + session.id() + " user=" + userId + " data=" + data);
            case ClientCommand.Rejected(String errorText) -> send(codec.error(errorText));
        }
    }

    @Override
    public String connectionId() {
        return session.id();
    }

    @Override
    public String userId() {
        return userId;
    }

    /** Called on the broker's thread: never blocks, only queues the shared frame (no per-socket allocation). */
    @Override
    public void deliver(IngestedEvent event, EncodedFrame frame) {
        if (!subscriptions.admit(event, frame)) {
            return;
        }
        if (event.emittedAt().isEmpty()) {
            send(frame);
            return;
        }
        session.send(frame.frame(), event.emittedAt().get());
    }

    private void send(EncodedFrame frame) {
        session.send(frame.frame());
    }

    /** Queues {@code frames} as one task, written in order and batched into few socket writes. */
    private void sendAll(List<EncodedFrame> frames) {
        List<TextFrame> encoded = frames.stream().map(EncodedFrame::frame).toList();
        session.execute(() -> session.writeNow(encoded));
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

    /** The connection ended, however it ended: leave every key. Runs off the writer thread. */
    private void disconnect() {
        tokenExpiry.cancel();
        if (!accepted) {
            return;
        }
        subscriptions.release();
    }
}
