package io.agentserver.service.agent.a2a;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One remote A2A agent clients can select by {@code name}.
 *
 * @param name             what a client sends as the start frame's {@code agent} (lowercase)
 * @param url              the agent card's URL (ends in {@code .json}) or a base URL whose card is at
 *                         {@code <base>/.well-known/agent-card.json}
 * @param token            sent as {@code Authorization: Bearer …} on every call when present
 * @param timeout          how long one call (the card, a JSON-RPC call, a stream's answer, a file download) may
 *                         take to answer
 * @param idleTimeout      a stream (or a polled task) that brings nothing new for this long ends the run as failed
 * @param pollInterval     how often {@code GetTask} is asked when the card does not say {@code streaming}
 * @param cardTtl          how long a card read is used before it is read again
 * @param maxResponseBytes largest JSON-RPC answer or single stream event
 * @param maxFileBytes     largest workspace file an artifact may become
 * @param maxFiles         most workspace files one run may write
 * @param fetchOrigins     origins ({@code scheme://host:port}) besides the card's and the interface's from which
 *                         {@code url} parts are fetched; {@code *} allows any
 */
public record A2aAgentSettings(String name, URI url, Optional<String> token, Duration timeout, Duration idleTimeout,
                               Duration pollInterval, Duration cardTtl, long maxResponseBytes, long maxFileBytes,
                               int maxFiles, List<String> fetchOrigins) {

    /** Connecting never waits longer than this, even with a long call timeout. */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final String CARD_PATH = ".well-known/agent-card.json";

    public A2aAgentSettings {
        if (!url.isAbsolute() || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("agent " + name + ": url must be an absolute http(s) URL, got " + url);
        }
        for (var d : List.of(timeout, idleTimeout, pollInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("agent " + name + ": timeouts and intervals must be positive");
            }
        }
        if (cardTtl.isNegative() || maxResponseBytes < 1 || maxFileBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("agent " + name + ": card-ttl must not be negative and the caps must be positive");
        }
        fetchOrigins = List.copyOf(fetchOrigins);
    }

    /** Where the card is read: the URL itself when it names a {@code .json} file, else the well-known path below it. */
    URI cardUrl() {
        if (url.getPath() != null && url.getPath().endsWith(".json")) {
            return url;
        }
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + CARD_PATH);
    }

    Duration connectTimeout() {
        return timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    }

    /** The token is a secret: never in logs or failure text. */
    @Override
    public String toString() {
        return "A2aAgentSettings[name=" + name + ", url=" + Redaction.url(url) + ", token="
                + (token.isPresent() ? "set" : "none") + ", timeout=" + timeout + ", idleTimeout=" + idleTimeout
                + ", pollInterval=" + pollInterval + ", cardTtl=" + cardTtl + ", maxResponseBytes=" + maxResponseBytes
                + ", maxFileBytes=" + maxFileBytes + ", maxFiles=" + maxFiles + ", fetchOrigins=" + fetchOrigins + "]";
    }
}
