package io.agentserver.service.agent.a2a;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A2A agents that misbehave in ways the SDK's server never does, on the JDK's HTTP server (real sockets): an
 * answer that is not JSON, a JSON-RPC error, a card without a JSON-RPC 1.0 interface, a card redirected to
 * another origin and one redirected within its own. It records each request as {@code METHOD path
 * A2A-Version=… Authorization=…}.
 */
final class MisbehavingAgent implements AutoCloseable {

    static final List<String> AGENTS = List.of("notjson", "rpcerror", "restonly", "moved", "nearby");

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

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

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path + " A2A-Version="
                + exchange.getRequestHeaders().getFirst("A2A-Version") + " Authorization="
                + exchange.getRequestHeaders().getFirst("Authorization"));
        exchange.getRequestBody().readAllBytes();
        String agent = path.split("/")[1];
        if (path.endsWith("/.well-known/agent-card.json")) {
            switch (agent) {
                case "moved" -> redirect(exchange, "http://localhost:" + server.getAddress().getPort() + "/elsewhere/card.json");
                case "nearby" -> redirect(exchange, "/nearby/card.json");
                case "restonly" -> json(exchange, card(agent, """
                        {"url":"%s/restonly/","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                        {"url":"%s/restonly/","protocolBinding":"JSONRPC","protocolVersion":"0.3"}""".formatted(base(), base())));
                default -> json(exchange, card(agent, """
                        {"url":"%s/%s/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}""".formatted(base(), agent)));
            }
        } else if (path.equals("/nearby/card.json")) {
            json(exchange, card(agent, """
                    {"url":"%s/nearby/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}""".formatted(base())));
        } else if (path.equals("/notjson/rpc")) {
            send(exchange, 200, "text/html", "<html>an error page</html>");
        } else if (path.endsWith("/rpc")) {
            json(exchange, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"the planner crashed\","
                    + "\"data\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"INTERNAL\"}]}}");
        } else {
            send(exchange, 404, "text/plain", "not here");
        }
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
