package io.agentserver.service.agent.protocol;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One Agent Protocol server clients can select by {@code name}.
 *
 * @param name     what a client sends as the start frame's {@code agent} (lowercase)
 * @param url      the server's base URL; {@code /ap/v1/agent/tasks} is appended
 * @param token    sent as {@code Authorization: Bearer …} when present
 * @param timeout  how long one request (creating the task, executing a step, downloading an artifact) may take
 * @param maxSteps steps after which a run that never saw {@code is_last} fails
 */
public record RemoteAgentSettings(String name, URI url, Optional<String> token, Duration timeout, int maxSteps) {

    /** Connecting never waits longer than this, even with a long request timeout. */
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public RemoteAgentSettings {
        if (!url.isAbsolute() || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("agent " + name + ": url must be an absolute http(s) URL, got " + url);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("agent " + name + ": timeout must be positive");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("agent " + name + ": max steps must be at least 1");
        }
    }

    Duration connectTimeout() {
        return timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    }
}
