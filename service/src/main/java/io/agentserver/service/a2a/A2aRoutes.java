package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.auth.Identity;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.hub.Connection;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.json.Json;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The HTTP edge of the A2A view: agent cards ({@code GET /a2a/{agent}/.well-known/agent-card.json}, the default
 * agent's at {@code /.well-known/agent-card.json}, no authentication) and the JSON-RPC binding
 * ({@code POST /a2a/{agent}}): authentication (a JWT bearer, header only), the body's size, JSON-RPC framing,
 * {@code A2A-Version}, the per-user cap on open requests, then the method. Errors are JSON-RPC errors (HTTP 200
 * unless {@link RpcError#httpStatus()} says otherwise).
 */
final class A2aRoutes implements HttpService {

    private static final System.Logger LOG = System.getLogger(A2aRoutes.class.getName());
    static final String CARD_PATH = "/.well-known/agent-card.json";
    static final HeaderName VERSION = HeaderNames.create("A2A-Version");
    static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final String SUPPORTED_VERSION = "1.0";
    private static final String BEARER = "bearer ";

    private final A2aServerSettings settings;
    private final Set<String> agents;
    private final String defaultAgent;
    private final JwtVerifier jwt;
    private final TaskSends sends;
    private final TaskQueries queries;
    private final TaskControl control;
    private final TaskStreams streams;
    private final ConnectionRegistry connections;
    private final int maxPerUser;
    private final A2aMetrics metrics;

    A2aRoutes(A2aServerSettings settings, Set<String> agents, String defaultAgent, JwtVerifier jwt, TaskSends sends,
              TaskQueries queries, TaskControl control, TaskStreams streams, ConnectionRegistry connections,
              int maxPerUser, A2aMetrics metrics) {
        this.settings = settings;
        this.agents = Set.copyOf(agents);
        this.defaultAgent = defaultAgent;
        this.jwt = jwt;
        this.sends = sends;
        this.queries = queries;
        this.control = control;
        this.streams = streams;
        this.connections = connections;
        this.maxPerUser = maxPerUser;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(CARD_PATH, (req, res) -> card(req, res, defaultAgent))
                .get("/a2a/{agent}" + CARD_PATH, (req, res) -> card(req, res, req.path().pathParameters().get("agent")))
                .post("/a2a/{agent}", this::rpc)
                .post("/a2a/{agent}/", this::rpc);
    }

    private void card(ServerRequest req, ServerResponse res, String agent) {
        if (!agents.contains(agent)) {
            unknownAgent(res, agent);
            return;
        }
        String endpoint = PublicBaseUrl.of(req, settings.publicBaseUrl()) + "/a2a/" + agent;
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(AgentCardView.card(agent, endpoint, settings.agentVersion())).getBytes(StandardCharsets.UTF_8));
    }

    private void rpc(ServerRequest req, ServerResponse res) {
        String agent = req.path().pathParameters().get("agent");
        if (!agents.contains(agent)) {
            unknownAgent(res, agent);
            return;
        }
        Optional<Identity> identity = authenticate(req);
        if (identity.isEmpty()) {
            metrics.request("unauthenticated", String.valueOf(RpcError.AUTHENTICATION_REQUIRED));
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            res.status(RpcError.authenticationRequired().httpStatus());
            answer(res, RpcError.authenticationRequired().response(null));
            return;
        }
        Optional<String> user = identity.map(Identity::userId);
        Optional<String> body = body(req, res);
        if (body.isEmpty()) {
            return;
        }
        RpcRequest rpc;
        switch (RpcRequest.parse(body.get())) {
            case RpcRequest.Invalid(JsonNode id, RpcError error) -> {
                fail(res, "invalid", id, error);
                return;
            }
            case RpcRequest.Valid(RpcRequest valid) -> rpc = valid;
        }
        Optional<String> version = req.headers().first(VERSION).map(String::trim);
        if (version.isPresent() && !supported(version.get())) {
            fail(res, rpc.method(), rpc.id(), RpcError.versionNotSupported(version.get()));
            return;
        }
        if (!Method.known(rpc.method())) {
            fail(res, "unknown", rpc.id(), RpcError.methodNotFound(rpc.method()));
            return;
        }
        Optional<ObjectNode> params = rpc.paramsObject();
        if (params.isEmpty()) {
            fail(res, rpc.method(), rpc.id(), RpcError.invalidParams("\"params\" must be an object"));
            return;
        }
        OpenHandle handle = new OpenHandle();
        String connectionId = connections.nextId(Protocol.A2A);
        boolean holds = Method.holdsOpen(rpc.method());
        if (holds && !connections.tryAdd(new Connection(connectionId, Protocol.A2A, user.get(), handle), maxPerUser)) {
            metrics.limitExceeded();
            fail(res, rpc.method(), rpc.id(), RpcError.limitExceeded("a user holds at most " + maxPerUser
                    + " connections (sockets, streams and waiting requests) on this server"));
            return;
        }
        try {
            Answer answer = dispatch(req, rpc, params.get(), user.get(), agent, handle);
            switch (answer) {
                case Answer.Result(JsonNode result) -> {
                    metrics.request(rpc.method(), "ok");
                    answer(res, rpc.result(result));
                }
                case Answer.Failure(RpcError error) -> fail(res, rpc.method(), rpc.id(), error);
                case Answer.Stream stream -> {
                    metrics.request(rpc.method(), "stream");
                    streams.serve(connectionId, rpc.id(), stream, res, handle, identity.get().expiresAt());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "a2a request failed method=" + rpc.method() + " user=" + user.get(), e);
            if (!res.isSent()) {
                fail(res, rpc.method(), rpc.id(), RpcError.internal());
            }
        } finally {
            if (holds) {
                connections.remove(connectionId);
            }
        }
    }

    private Answer dispatch(ServerRequest req, RpcRequest rpc, ObjectNode params, String user, String agent,
                            OpenHandle handle) {
        return switch (rpc.method()) {
            case Method.SEND_MESSAGE -> sends.send(params, user, agent, false, handle);
            case Method.SEND_STREAMING_MESSAGE -> sends.send(params, user, agent, true, handle);
            case Method.GET_TASK -> queries.get(params, user);
            case Method.LIST_TASKS -> queries.list(params, user);
            case Method.CANCEL_TASK -> control.cancel(params, user, handle);
            case Method.SUBSCRIBE_TO_TASK -> control.subscribe(params, user,
                    req.headers().first(LAST_EVENT_ID).map(String::trim).filter(s -> !s.isEmpty()));
            default -> Answer.failure(RpcError.methodNotFound(rpc.method()));
        };
    }

    /** The caller, from {@code Authorization: Bearer <JWT>} (never the query). */
    private Optional<Identity> authenticate(ServerRequest req) {
        String token = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.length() > BEARER.length() && h.substring(0, BEARER.length()).toLowerCase(Locale.ROOT)
                        .equals(BEARER))
                .map(h -> h.substring(BEARER.length()).trim())
                .orElse(null);
        return jwt.verify(token) instanceof TokenCheck.Valid(Identity identity) ? Optional.of(identity)
                : Optional.empty();
    }

    /** The request body, at most the configured size; empty when it was refused (the answer is sent). */
    private Optional<String> body(ServerRequest req, ServerResponse res) {
        long max = settings.maxBodyBytes();
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > max) {
            fail(res, "too_large", null, RpcError.tooLarge(max));
            return Optional.empty();
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                fail(res, "too_large", null, RpcError.tooLarge(max));
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 1.0} (or {@code 1.0.x}, {@code 1}); a missing header is read as 1.0 [ours]. */
    private static boolean supported(String version) {
        String[] parts = version.split("\\.");
        try {
            return parts.length >= 1 && parts.length <= 3 && Integer.parseInt(parts[0]) == 1
                    && (parts.length < 2 || Integer.parseInt(parts[1]) == 0);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void fail(ServerResponse res, String method, JsonNode id, RpcError error) {
        metrics.request(method, String.valueOf(error.code()));
        res.status(error.httpStatus());
        answer(res, error.response(id));
    }

    private static void answer(ServerResponse res, ObjectNode response) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(response).getBytes(StandardCharsets.UTF_8));
    }

    private void unknownAgent(ServerResponse res, String agent) {
        res.status(Status.NOT_FOUND_404);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(Json.object().put("error", "no agent named " + agent + "; agents: "
                + String.join(", ", agents.stream().sorted().toList()))).getBytes(StandardCharsets.UTF_8));
    }

    /** The A2A 1.0 JSON-RPC methods this view serves. */
    static final class Method {
        static final String SEND_MESSAGE = "SendMessage";
        static final String SEND_STREAMING_MESSAGE = "SendStreamingMessage";
        static final String GET_TASK = "GetTask";
        static final String LIST_TASKS = "ListTasks";
        static final String CANCEL_TASK = "CancelTask";
        static final String SUBSCRIBE_TO_TASK = "SubscribeToTask";
        private static final Set<String> ALL = Set.of(SEND_MESSAGE, SEND_STREAMING_MESSAGE, GET_TASK, LIST_TASKS,
                CANCEL_TASK, SUBSCRIBE_TO_TASK);
        /** Methods that may stay open for long: counted against the per-user cap. */
        private static final Set<String> OPEN = Set.of(SEND_MESSAGE, SEND_STREAMING_MESSAGE, CANCEL_TASK,
                SUBSCRIBE_TO_TASK);

        private Method() {
        }

        static boolean known(String method) {
            return ALL.contains(method);
        }

        static boolean holdsOpen(String method) {
            return OPEN.contains(method);
        }
    }
}
