package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.upstream.UpstreamSettings;
import io.agentserver.service.secrets.Redacted;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * @param maxResponseBytes largest JSON-RPC answer, card or single stream event (an inline artifact arrives whole in
 *                         one event, base64 for bytes)
 * @param maxArtifactBytes largest workspace file an artifact may become (a larger one fails the run)
 * @param maxArtifacts     most workspace files one run may write (one more fails the run)
 * @param fetchOrigins     origins ({@code scheme://host:port}) besides the card's and the interface's from which
 *                         {@code url} parts are fetched; {@code *} allows any
 */
public record A2aAgentSettings(String name, URI url, Optional<String> token, Duration timeout, Duration idleTimeout,
                               Duration pollInterval, Duration cardTtl, long maxResponseBytes, long maxArtifactBytes,
                               int maxArtifacts, List<String> fetchOrigins) {

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
        if (cardTtl.isNegative() || maxResponseBytes < 1024 || maxArtifactBytes < 1 || maxArtifacts < 1) {
            throw new IllegalArgumentException("agent " + name + ": card-ttl must not be negative, max-response-bytes "
                    + "at least 1024 and max-artifact-bytes and max-artifacts positive");
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

    /** The environment variable of one of this agent's settings, e.g. {@code AGENTS_MY_DASH_BOT_URL}. */
    String variable(String setting) {
        return ("AGENTS_" + name + "_" + setting).toUpperCase(Locale.ROOT).replace("-", "_DASH_");
    }

    /**
     * The upstream client settings for calls to {@code origin} (scheme, host and port; call paths are absolute).
     *
     * @param setting   how failure messages name that server (never its address)
     * @param withToken whether the agent's token goes there (only to the agent's own origins)
     */
    UpstreamSettings upstream(URI origin, String setting, boolean withToken) {
        return new UpstreamSettings(name, origin, setting, withToken ? token : Optional.empty(), connectTimeout(),
                timeout, maxResponseBytes, Optional.empty(), token.map(List::of).orElse(List.of()));
    }

    /** The token is a secret: never in logs or failure text. */
    @Override
    public String toString() {
        return "A2aAgentSettings[name=" + name + ", url=" + Redacted.url(url) + ", token=" + Redacted.presence(token)
                + ", timeout=" + timeout + ", idleTimeout=" + idleTimeout + ", pollInterval=" + pollInterval
                + ", cardTtl=" + cardTtl + ", maxResponseBytes=" + maxResponseBytes + ", maxArtifactBytes="
                + maxArtifactBytes + ", maxArtifacts=" + maxArtifacts + ", fetchOrigins=" + fetchOrigins + "]";
    }
}
