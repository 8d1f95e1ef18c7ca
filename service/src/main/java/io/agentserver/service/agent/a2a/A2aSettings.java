package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.RemoteAgentNode;
import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The remote A2A agents: the {@link RemoteAgentNode}s under {@code agents} whose {@code protocol} is {@code a2a}
 * ({@code AGENTS_<NAME>_PROTOCOL=a2a}). Per agent, beside {@code url} and {@code token}: {@code timeout},
 * {@code idle-timeout}, {@code poll-interval}, {@code card-ttl}, {@code max-response-bytes},
 * {@code max-artifact-bytes}, {@code max-artifacts} (the caps named as for Agent Protocol agents) and
 * {@code fetch-origins} (comma-separated); the defaults are below.
 */
public record A2aSettings(List<A2aAgentSettings> agents) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CARD_TTL = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_ARTIFACTS = 50;

    public A2aSettings {
        agents = List.copyOf(agents);
    }

    public static A2aSettings from(Config config) {
        return new A2aSettings(RemoteAgentNode.under(config.get("agents")).stream()
                .filter(n -> n.protocol().equals(RemoteAgentNode.A2A))
                .map(A2aSettings::agent)
                .toList());
    }

    private static A2aAgentSettings agent(RemoteAgentNode agent) {
        Config node = agent.node();
        return new A2aAgentSettings(
                agent.name(),
                URI.create(agent.url()),
                node.get("token").asString().asOptional().filter(t -> !t.isBlank()),
                node.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                node.get("idle-timeout").as(Duration.class).orElse(DEFAULT_IDLE_TIMEOUT),
                node.get("poll-interval").as(Duration.class).orElse(DEFAULT_POLL_INTERVAL),
                node.get("card-ttl").as(Duration.class).orElse(DEFAULT_CARD_TTL),
                node.get("max-response-bytes").asLong().orElse(DEFAULT_MAX_RESPONSE_BYTES),
                node.get("max-artifact-bytes").asLong().orElse(DEFAULT_MAX_ARTIFACT_BYTES),
                node.get("max-artifacts").asInt().orElse(DEFAULT_MAX_ARTIFACTS),
                node.get("fetch-origins").asString().asOptional()
                        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())
                        .orElse(List.of()));
    }
}
