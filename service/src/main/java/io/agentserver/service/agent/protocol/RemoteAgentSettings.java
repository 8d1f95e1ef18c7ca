package io.agentserver.service.agent.protocol;

import io.agentserver.service.agent.upstream.UpstreamSettings;
import io.agentserver.service.secrets.Redacted;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Agent Protocol server clients can select by {@code name}.
 *
 * @param name             what a client sends as the start frame's {@code agent} (lowercase)
 * @param url              the server's base URL; {@code /ap/v1/agent/tasks} is appended. Redirects are followed only
 *                         within its origin
 * @param token            sent as {@code Authorization: Bearer …} when present
 * @param timeout          how long one request (creating the task, executing a step, downloading an artifact) may take
 * @param maxSteps         steps after which a run that never saw {@code is_last} fails
 * @param maxResponseBytes the largest answer to a task, step or listing call; a larger one fails the run
 * @param maxArtifactBytes the largest artifact downloaded (through a temporary file); a larger one fails the run
 * @param maxArtifacts     artifacts one run stores at most; one more fails the run
 */
public record RemoteAgentSettings(String name, URI url, Optional<String> token, Duration timeout, int maxSteps,
                                  long maxResponseBytes, long maxArtifactBytes, int maxArtifacts) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L << 20;
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 10L << 20;
    public static final int DEFAULT_MAX_ARTIFACTS = 50;
    /** Connecting never waits longer than this, even with a long request timeout. */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public RemoteAgentSettings {
        if (!url.isAbsolute() || url.getHost() == null
                || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("agent " + name + ": url must be an absolute http(s) URL, got "
                    + Redacted.url(url));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("agent " + name + ": timeout must be positive");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("agent " + name + ": max steps must be at least 1");
        }
        if (maxResponseBytes < 1024 || maxArtifactBytes < 1 || maxArtifacts < 0) {
            throw new IllegalArgumentException("agent " + name + ": max-response-bytes must be at least 1024,"
                    + " max-artifact-bytes positive and max-artifacts not negative");
        }
    }

    /** With the default caps. */
    public RemoteAgentSettings(String name, URI url, Optional<String> token, Duration timeout, int maxSteps) {
        this(name, url, token, timeout, maxSteps, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_ARTIFACT_BYTES,
                DEFAULT_MAX_ARTIFACTS);
    }

    Duration connectTimeout() {
        return timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    }

    /** The environment variable of one of this agent's settings, e.g. {@code AGENTS_MY_DASH_BOT_URL}. */
    String variable(String setting) {
        return ("AGENTS_" + name + "_" + setting).toUpperCase(Locale.ROOT).replace("-", "_DASH_");
    }

    UpstreamSettings upstream() {
        return new UpstreamSettings(name, url, variable("url"), token, connectTimeout(), timeout, maxResponseBytes,
                Optional.empty(), List.of());
    }

    /** Never prints the token; the URL without user info or credential query parameters. */
    @Override
    public String toString() {
        return "RemoteAgentSettings[name=" + name + ", url=" + Redacted.url(url) + ", token=" + Redacted.presence(token)
                + ", timeout=" + timeout + ", maxSteps=" + maxSteps + ", maxResponseBytes=" + maxResponseBytes
                + ", maxArtifactBytes=" + maxArtifactBytes + ", maxArtifacts=" + maxArtifacts + "]";
    }
}
