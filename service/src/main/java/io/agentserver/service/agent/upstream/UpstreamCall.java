package io.agentserver.service.agent.upstream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request to make: a method, a path below the server's base URL (with any query), an optional body and
 * extra headers. {@link #label()} names it in failure messages ({@code POST /ap/v1/agent/tasks}).
 */
public record UpstreamCall(String method, String path, byte[] body, String contentType, Map<String, String> headers) {

    public UpstreamCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("a call path starts with /: " + path);
        }
    }

    public static UpstreamCall get(String path) {
        return new UpstreamCall("GET", path, null, null, Map.of());
    }

    public static UpstreamCall post(String path, String contentType, byte[] body) {
        return new UpstreamCall("POST", path, body, contentType, Map.of());
    }

    /** A JSON POST. */
    public static UpstreamCall postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** The same call with one more header. */
    public UpstreamCall header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new UpstreamCall(method, path, body, contentType, more);
    }

    /** {@code METHOD /path}, without the query: how messages name the call. */
    public String label() {
        int query = path.indexOf('?');
        return method + " " + (path.isEmpty() ? "/" : query < 0 ? path : path.substring(0, query));
    }
}
