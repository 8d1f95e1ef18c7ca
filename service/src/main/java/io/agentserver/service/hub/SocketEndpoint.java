package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;

import io.agentserver.service.web.LenientQueryDecoder;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * The one WebSocket listener of every protocol: one instance per connection. It checks the origin at the upgrade,
 * opens the connection's {@link ConnectionSession}, assembles fragmented messages within the protocol's byte limit
 * (a larger one closes with 1009, and no part of it runs), applies the socket's message rate, answers pings, takes
 * pongs as proof of receipt, and hands the rest to the protocol's {@link ProtocolHandler} on the connection's work
 * queue. Listener methods return at once and never throw.
 */
public final class SocketEndpoint implements WsListener {

    private static final System.Logger LOG = System.getLogger(SocketEndpoint.class.getName());

    private final SocketSettings settings;
    private final Hub hub;
    private final ProtocolHandler.Factory factory;
    private final MessageAssembler assembler;
    private ProtocolHandler handler;
    private ConnectionSession session;

    private SocketEndpoint(SocketSettings settings, Hub hub, ProtocolHandler.Factory factory) {
        this.settings = settings;
        this.hub = hub;
        this.factory = factory;
        this.assembler = new MessageAssembler(settings.maxMessageBytes());
    }

    /** A listener per connection, for {@code WsRouting.endpoint(path, …)}. */
    public static Supplier<WsListener> of(SocketSettings settings, Hub hub, ProtocolHandler.Factory factory) {
        return () -> new SocketEndpoint(settings, hub, factory);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        String path = prologue.uriPath().path();
        if (!hub.origins().allowsWebSocket(origin)) {
            hub.metrics().handshakeRefused(settings.protocol(), "origin");
            LOG.log(Level.INFO, "ws refused path=" + path + " origin=" + origin.orElse(""));
            throw new WsUpgradeException("origin not allowed");
        }
        handler = factory.create(new UpgradeRequest(path, LenientQueryDecoder.parse(prologue.query().rawValue()),
                headers));
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        session = ConnectionSession.open(settings, ws, hub);
        ProtocolHandler protocol = handler;
        session.onEnd(protocol::ended);
        session.work().execute(() -> session.guard("open", () -> protocol.opened(session), protocol::failed));
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        session.guard("message", () -> receive(text, last), () -> { });
    }

    private void receive(String text, boolean last) {
        MessageAssembler.Result part = assembler.add(text, last);
        if (part instanceof MessageAssembler.TooBig) {
            session.close(CloseCodes.TOO_BIG, "message too big", true);
            return;
        }
        if (part instanceof MessageAssembler.Complete(String message) && session.admitMessage()) {
            ProtocolHandler protocol = handler;
            session.work().execute(() -> session.guard("message", () -> protocol.message(message), protocol::failed));
        }
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        session.guard("ping", () -> session.pong(buffer), () -> { });
    }

    @Override
    public void onPong(WsSession ws, BufferData buffer) {
        session.guard("pong", () -> session.pongReceived(buffer), () -> { });
    }

    /** Returns once the writer has stopped: Helidon answers the client's close after this returns. */
    @Override
    public void onClose(WsSession ws, int status, String reason) {
        session.guard("close", session::clientClosed, () -> { });
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        LOG.log(Level.DEBUG, "ws error conn=" + (session == null ? "-" : session.id()) + ": " + t);
    }
}
