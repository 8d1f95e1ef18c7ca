package io.agentserver.service.agent.a2a;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Origins ({@code scheme://host:port}) of URLs, with the scheme's default port made explicit, and the two halves
 * an upstream call needs: the origin's root URL and the path (with query) below it.
 */
final class Origins {

    private Origins() {
    }

    static String of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    static boolean same(URI a, URI b) {
        return of(a).equals(of(b));
    }

    /** {@code scheme://host:port} of {@code uri} as a URL, without user info, path or query. */
    static URI root(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The path and query of {@code uri}, starting with {@code /}. */
    static String path(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
