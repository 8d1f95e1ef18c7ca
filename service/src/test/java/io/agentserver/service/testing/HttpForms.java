package io.agentserver.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Form-encoded POSTs, as XAgent's web client sends them. */
public final class HttpForms {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A response: its status and its JSON body. */
    public record Reply(int status, JsonNode body) {
        public JsonNode data() {
            return body.path("data");
        }
    }

    private HttpForms() {
    }

    public static Reply post(URI uri, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    /** A form body sent exactly as given, for input no encoder would produce. */
    public static Reply postRaw(URI uri, String body) {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public static Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    public static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), Json.parse(response.body()).orElseGet(() ->
                    Json.mapper().getNodeFactory().textNode(response.body())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
