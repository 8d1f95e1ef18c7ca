package io.agentserver.service.agent.a2a;

import java.net.URI;

/** What of a URL may be shown in logs and failure text: no user info, no query (either may hold a secret). */
final class Redaction {

    private Redaction() {
    }

    static String url(URI uri) {
        StringBuilder shown = new StringBuilder();
        if (uri.getScheme() != null) {
            shown.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            shown.append(uri.getHost());
            if (uri.getPort() >= 0) {
                shown.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            shown.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            shown.append("?…");
        }
        return shown.toString();
    }
}
