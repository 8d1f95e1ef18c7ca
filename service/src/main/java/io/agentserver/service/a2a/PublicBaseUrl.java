package io.agentserver.service.a2a;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The service's address as a client reaches it, for absolute URLs in cards: the configured public base URL, else
 * the request's {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (behind a proxy) or its own scheme and
 * {@code Host}. Header values that are not a plain host (and port) are not trusted.
 */
final class PublicBaseUrl {

    private static final HeaderName FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
    private static final HeaderName FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private PublicBaseUrl() {
    }

    /** Scheme, authority and path prefix, without a trailing slash. */
    static String of(ServerRequest request, Optional<URI> configured) {
        if (configured.isPresent()) {
            return configured.get().toString();
        }
        String scheme = first(request, FORWARDED_PROTO).map(s -> s.toLowerCase(Locale.ROOT))
                .filter(s -> s.equals("http") || s.equals("https"))
                .orElse(request.isSecure() ? "https" : "http");
        String host = first(request, FORWARDED_HOST).filter(h -> HOST.matcher(h).matches())
                .or(() -> Optional.ofNullable(request.authority()).filter(h -> HOST.matcher(h).matches()))
                .orElse("localhost");
        return scheme + "://" + host;
    }

    /** The first value of a header that proxies may have appended to ({@code a, b}). */
    private static Optional<String> first(ServerRequest request, HeaderName name) {
        return request.headers().first(name).map(v -> v.split(",")[0].trim()).filter(v -> !v.isEmpty());
    }
}
