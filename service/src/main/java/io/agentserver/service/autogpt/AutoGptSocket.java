package io.agentserver.service.autogpt;

import io.agentserver.service.auth.Identity;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.ProtocolHandler;
import io.agentserver.service.hub.UpgradeRequest;

import java.lang.System.Logger.Level;

/**
 * The protocol side of one AutoGPT {@code /ws} connection: token from the query string, accept-then-close refusals
 * (4001/4002/4003), client frames decoded by {@link SubscriptionCodec} and answered exactly as AutoGPT does,
 * subscriptions held in its {@link SocketSubscriptions}. Executor events reach it from the {@link ExecutionFanOut}
 * on the broker's thread and are only queued.
 */
final class AutoGptSocket implements ProtocolHandler, ExecutionSubscriber {

    private static final System.Logger LOG = System.getLogger(AutoGptSocket.class.getName());
    private static final String INTERNAL_ERROR = "Internal error";

    /** What every socket of the endpoint shares. */
    record Dependencies(JwtVerifier jwt, ExecutionFanOut fanOut, SubscriptionCodec codec, Subscriptions subscriptions) {
    }

    private final Dependencies deps;
    private final String token;
    private ConnectionSession session;
    private volatile SocketSubscriptions subscriptions;
    private volatile String userId = "";
    private boolean accepted;
    private volatile TokenExpiry.Watch tokenExpiry = TokenExpiry.Watch.NONE;

    AutoGptSocket(Dependencies deps, UpgradeRequest request) {
        this.deps = deps;
        this.token = request.query().contains("token") ? request.query().get("token") : null;
    }

    @Override
    public void opened(ConnectionSession session) {
        this.session = session;
        switch (deps.jwt().verify(token)) {
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
                subscriptions = deps.subscriptions().forSocket(this, session);
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
        deps.subscriptions().metrics().handshakeRefused(session.protocol(), metricReason);
        LOG.log(Level.INFO, "ws refused conn=" + session.id() + " path=/ws code=" + code
                + (detail.isEmpty() ? "" : " detail=" + detail));
        session.close(code, reason, true);
    }

    /** One client command, answered exactly as AutoGPT's server answers it. */
    @Override
    public void message(String text) {
        if (!accepted) {
            return;
        }
        SubscriptionCodec codec = deps.codec();
        switch (codec.decode(text)) {
            case ClientCommand.Heartbeat heartbeat -> session.send(codec.heartbeatReply().frame());
            case ClientCommand.SubscriptionCommand subscription -> subscriptions.handle(subscription);
            case ClientCommand.ClientError(String data) ->
                    LOG.log(Level.INFO, "client error conn=" + session.id() + " user=" + userId + " data=" + data);
            case ClientCommand.Rejected(String errorText) -> session.send(codec.error(errorText).frame());
        }
    }

    @Override
    public void failed() {
        if (accepted) {
            session.send(deps.codec().error(INTERNAL_ERROR).frame());
        } else if (session != null) {
            session.close(CloseCodes.INTERNAL_ERROR, "internal error", true);
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

    /** On the broker's thread: never blocks, only queues the shared frame (no per-socket allocation). */
    @Override
    public void deliver(IngestedEvent event, EncodedFrame frame) {
        SocketSubscriptions current = subscriptions;
        if (current == null || !current.admit(event, frame)) {
            return;
        }
        if (event.emittedAt().isEmpty()) {
            session.send(frame.frame());
        } else {
            session.send(frame.frame(), event.emittedAt().get().toEpochMilli());
        }
    }

    /** The connection ended, however it ended: leave every channel. */
    @Override
    public void ended(boolean clean) {
        tokenExpiry.cancel();
        if (accepted) {
            subscriptions.release();
        }
    }
}
