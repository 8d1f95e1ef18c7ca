package io.agentserver.service.agent.protocol;

import io.agentserver.service.agent.RemoteAgentNode;
import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Agent Protocol servers configured under {@code agents}: the {@link RemoteAgentNode}s whose protocol is
 * {@code agent-protocol} (the default). Per agent:
 * {@code url}, optional {@code token} (bearer), {@code timeout} (per request, ISO-8601), {@code max-steps}
 * ({@code AGENTS_<NAME>_MAX_DASH_STEPS}, or {@code AGENTS_<NAME>_MAX_STEPS} which the environment maps to
 * {@code max.steps}), and the caps {@code max-response-bytes}, {@code max-artifact-bytes} and {@code max-artifacts}
 * ({@code AGENTS_<NAME>_MAX_DASH_ARTIFACT_DASH_BYTES} …; defaults in {@link RemoteAgentSettings}).
 */
public record AgentProtocolSettings(List<RemoteAgentSettings> agents) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_STEPS = 100;

    public AgentProtocolSettings {
        agents = List.copyOf(agents);
    }

    public static AgentProtocolSettings from(Config config) {
        return new AgentProtocolSettings(RemoteAgentNode.under(config.get("agents")).stream()
                .filter(n -> n.protocol().equals(RemoteAgentNode.AGENT_PROTOCOL))
                .map(n -> agent(n.node(), n.name(), n.url()))
                .toList());
    }

    private static RemoteAgentSettings agent(Config node, String name, String url) {
        return new RemoteAgentSettings(
                name,
                URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                node.get("token").asString().asOptional().filter(t -> !t.isBlank()),
                node.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                firstInt(node, "max-steps", "max.steps").orElse(DEFAULT_MAX_STEPS),
                node.get("max-response-bytes").asLong().orElse(RemoteAgentSettings.DEFAULT_MAX_RESPONSE_BYTES),
                node.get("max-artifact-bytes").asLong().orElse(RemoteAgentSettings.DEFAULT_MAX_ARTIFACT_BYTES),
                node.get("max-artifacts").asInt().orElse(RemoteAgentSettings.DEFAULT_MAX_ARTIFACTS));
    }

    private static Optional<Integer> firstInt(Config node, String... keys) {
        for (String key : keys) {
            Optional<Integer> value = node.get(key).asInt().asOptional();
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }
}
