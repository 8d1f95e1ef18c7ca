package io.agentserver.service.agent.upstream;

import java.net.URI;
import java.util.Locale;

/** Scheme, host and port of a URL (RFC 6454): where requests of one {@link UpstreamClient} may go. */
record Origin(String scheme, String host, int port) {

    static Origin of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return new Origin(scheme, uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    boolean contains(URI uri) {
        return uri.isAbsolute() && equals(of(uri));
    }
}
