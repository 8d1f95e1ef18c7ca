package io.agentserver.service.agent.a2a;

import java.net.URI;
import java.util.Locale;

/** Origins ({@code scheme://host:port}) of URLs, with the scheme's default port made explicit. */
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
}
