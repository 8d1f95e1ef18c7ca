package io.agentserver.service.agent.upstream;

import io.agentserver.service.secrets.Redacted;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One remote server and the limits of the calls made to it.
 *
 * @param agent            the agent's name: the metric label and the start of every failure message
 *                         ({@code agent <name>: …})
 * @param base             the server's base URL; call paths are appended to it. Its origin (scheme, host, port) is
 *                         the only one requests and redirects may go to
 * @param setting          the setting that configures {@code base} (e.g. {@code AGENTS_FORGE_URL}): failure
 *                         messages name it instead of the address
 * @param bearerToken      sent as {@code Authorization: Bearer …} on every call, when present
 * @param connectTimeout   how long connecting may take
 * @param timeout          how long one call may take from sending to its last body byte (for {@link
 *                         UpstreamClient#open}: to its headers)
 * @param maxResponseBytes the largest body {@link UpstreamClient#send} reads into memory
 * @param spoolDir         where {@link UpstreamClient#spool} writes bodies ({@code java.io.tmpdir} when empty)
 * @param secrets          values scrubbed from any upstream text shown or logged (the token is added)
 */
public record UpstreamSettings(String agent, URI base, String setting, Optional<String> bearerToken,
                               Duration connectTimeout, Duration timeout, long maxResponseBytes,
                               Optional<Path> spoolDir, List<String> secrets) {

    public UpstreamSettings {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (!base.isAbsolute() || base.getHost() == null
                || !("http".equalsIgnoreCase(base.getScheme()) || "https".equalsIgnoreCase(base.getScheme()))) {
            throw new IllegalArgumentException("agent " + agent + ": " + setting + " must be an absolute http(s) URL");
        }
        for (Duration d : new Duration[] {connectTimeout, timeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("agent " + agent + ": timeouts must be positive");
            }
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("agent " + agent + ": the response cap must be positive");
        }
        secrets = List.copyOf(secrets);
    }

    /** Never prints the token; the URL without user info or credential query parameters. */
    @Override
    public String toString() {
        return "UpstreamSettings[agent=" + agent + ", base=" + Redacted.url(base)
                + ", bearerToken=" + Redacted.presence(bearerToken)
                + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout
                + ", maxResponseBytes=" + maxResponseBytes + ", secrets=" + secrets.size() + "]";
    }
}
