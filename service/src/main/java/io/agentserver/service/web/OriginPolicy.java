package io.agentserver.service.web;

import io.helidon.config.Config;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.webserver.cors.CorsSupport;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which browser origins may call the service.
 *
 * @param corsOrigins      origins allowed to make cross-origin HTTP requests ({@code *} for any); empty: no
 *                         CORS headers at all, so browsers refuse every cross-origin call
 * @param websocketOrigins origins allowed to open WebSockets; empty: any. Requests without an {@code Origin}
 *                         header (non-browser clients: executors, CLIs, tests) are always allowed
 */
public record OriginPolicy(List<String> corsOrigins, List<String> websocketOrigins) {

    /** Comma-separated; the environment variable {@code CORS_ALLOWED_ORIGINS} maps to it. */
    public static final String CORS_KEY = "cors.allowed-origins";
    /** Comma-separated; the environment variable {@code WEBSOCKET_ALLOWED_ORIGINS} maps to it. */
    public static final String WEBSOCKET_KEY = "websocket.allowed-origins";

    public OriginPolicy {
        corsOrigins = List.copyOf(corsOrigins);
        websocketOrigins = List.copyOf(websocketOrigins);
    }

    public static OriginPolicy from(Config config) {
        return new OriginPolicy(list(config, CORS_KEY), list(config, WEBSOCKET_KEY));
    }

    public static OriginPolicy open() {
        return new OriginPolicy(List.of(), List.of());
    }

    /** The CORS handler to register before every HTTP route; empty when no origin is allowed. */
    public Optional<CorsSupport> cors() {
        if (corsOrigins.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CorsSupport.builder()
                .addCrossOrigin(CrossOriginConfig.builder()
                        .allowOrigins(corsOrigins.toArray(String[]::new))
                        .allowMethods("GET", "POST", "PUT", "DELETE", "OPTIONS")
                        .allowHeaders("*")
                        .build())
                .build());
    }

    /** Whether a WebSocket upgrade carrying this {@code Origin} header may proceed. */
    public boolean allowsWebSocket(Optional<String> origin) {
        return websocketOrigins.isEmpty() || origin.isEmpty() || websocketOrigins.contains(origin.get());
    }

    /** {@code a.b-c} or, as environment variables map {@code A_B_C}, {@code a.b.c}. */
    private static List<String> list(Config config, String key) {
        String text = config.get(key).asString().asOptional()
                .or(() -> config.get(key.replace('-', '.')).asString().asOptional())
                .orElse("");
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
