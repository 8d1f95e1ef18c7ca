package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentserver.service.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A2A agents that misbehave in ways the SDK's server never does, on the JDK's HTTP server (real sockets): an
 * answer that is not JSON, a JSON-RPC error, a card without a JSON-RPC 1.0 interface, a card redirected to
 * another origin and one redirected within its own; and one that speaks our resume extension: its stream sets SSE
 * ids and breaks after the first status, and {@code SubscribeToTask} goes on after the {@code Last-Event-ID} it
 * is given. It records each request as {@code METHOD path A2A-Version=… Authorization=…}, and each
 * {@code Last-Event-ID} a {@code SubscribeToTask} carried.
 */
final class MisbehavingAgent implements AutoCloseable {

    static final List<String> AGENTS = List.of("notjson", "rpcerror", "restonly", "moved", "nearby", "resumable");

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();

    private MisbehavingAgent(HttpServer server) {
        this.server = server;
    }

    static MisbehavingAgent start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            MisbehavingAgent agent = new MisbehavingAgent(server);
            server.createContext("/", agent::handle);
            server.start();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    List<String> lastEventIds() {
        return List.copyOf(lastEventIds);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path + " A2A-Version="
                + exchange.getRequestHeaders().getFirst("A2A-Version") + " Authorization="
                + exchange.getRequestHeaders().getFirst("Authorization"));
        JsonNode request = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .orElse(Json.object());
        String agent = path.split("/")[1];
        if (path.endsWith("/.well-known/agent-card.json")) {
            switch (agent) {
                case "moved" -> redirect(exchange, "http://localhost:" + server.getAddress().getPort() + "/elsewhere/card.json");
                case "nearby" -> redirect(exchange, "/nearby/card.json");
                case "restonly" -> json(exchange, card(agent, """
                        {"url":"%s/restonly/","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                        {"url":"%s/restonly/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}""".formatted(base(), base())));
                case "resumable" -> json(exchange, card(agent, """
                        {"url":"%s/resumable/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}""".formatted(base()))
                        .replace("\"streaming\":false", "\"streaming\":true"));
                default -> json(exchange, card(agent, """
                        {"url":"%s/%s/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}""".formatted(base(), agent)));
            }
        } else if (path.equals("/nearby/card.json")) {
            json(exchange, card(agent, """
                    {"url":"%s/nearby/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}""".formatted(base())));
        } else if (path.equals("/resumable/rpc")) {
            resumable(exchange, request);
        } else if (path.equals("/notjson/rpc")) {
            send(exchange, 200, "text/html", "<html>an error page</html>");
        } else if (path.endsWith("/rpc")) {
            json(exchange, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"the planner crashed\","
                    + "\"data\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"INTERNAL\"}]}}");
        } else {
            send(exchange, 404, "text/plain", "not here");
        }
    }

    /** The first stream breaks after event 1.0; a subscription after 1.0 brings the task and 2.0, the end. */
    private void resumable(HttpExchange exchange, JsonNode request) throws IOException {
        long id = request.path("id").asLong();
        String working = status("TASK_STATE_WORKING", "m1", "first");
        StringBuilder events = new StringBuilder();
        if (request.path("method").asText().equals("SubscribeToTask")) {
            lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            events.append(event(id, null, "{\"task\":{\"id\":\"rt-1\",\"contextId\":\"rc-1\"," + working + "}}"));
            events.append(event(id, "2.0", "{\"statusUpdate\":{\"taskId\":\"rt-1\",\"contextId\":\"rc-1\","
                    + status("TASK_STATE_COMPLETED", "m2", "done") + "}}"));
        } else {
            events.append(event(id, "0.0", "{\"task\":{\"id\":\"rt-1\",\"contextId\":\"rc-1\","
                    + "\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}"));
            events.append(event(id, "1.0", "{\"statusUpdate\":{\"taskId\":\"rt-1\",\"contextId\":\"rc-1\","
                    + working + "}}"));
        }
        send(exchange, 200, "text/event-stream", events.toString());
    }

    private static String status(String state, String messageId, String text) {
        return "\"status\":{\"state\":\"" + state + "\",\"message\":{\"messageId\":\"" + messageId
                + "\",\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"" + text + "\"}]}}";
    }

    private static String event(long id, String eventId, String result) {
        return (eventId == null ? "" : "id: " + eventId + "\n") + "data: {\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"result\":" + result + "}\n\n";
    }

    private static String card(String name, String interfaces) {
        return "{\"name\":\"" + name + "\",\"capabilities\":{\"streaming\":false},\"supportedInterfaces\":["
                + interfaces + "]}";
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, "text/plain", "moved");
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        send(exchange, 200, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
