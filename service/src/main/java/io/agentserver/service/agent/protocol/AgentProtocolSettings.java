package io.agentserver.service.agent.protocol;

import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Agent Protocol servers configured under {@code agents}: every node below it that has a {@code url}
 * is one agent, named by its path below {@code agents} (segments joined with {@code _}, lowercase). The
 * environment maps {@code AGENTS_FORGE_URL} to {@code agents.forge.url} (agent {@code forge}) and
 * {@code AGENTS_MY_AGENT_URL} to {@code agents.my.agent.url} (agent {@code my_agent}); plain values such as
 * {@code AGENTS_DEFAULT} are not agents; {@code AGENTS_CODE_DASH_BOT_URL} names agent {@code code-bot}. Per agent:
 * {@code url}, optional {@code token} (bearer), {@code timeout} (per request, ISO-8601), {@code max-steps}
 * ({@code AGENTS_<NAME>_MAX_DASH_STEPS}, or {@code AGENTS_<NAME>_MAX_STEPS} which the environment maps to
 * {@code max.steps}), and the caps {@code max-response-bytes}, {@code max-artifact-bytes} and {@code max-artifacts}
 * ({@code AGENTS_<NAME>_MAX_DASH_ARTIFACT_DASH_BYTES} …; defaults in {@link RemoteAgentSettings}).
 */
public record AgentProtocolSettings(List<RemoteAgentSettings> agents) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_STEPS = 100;
    private static final Set<String> SETTING_KEYS = Set.of("url", "token", "timeout", "max-steps", "max",
            "max-response-bytes", "max-artifact-bytes", "max-artifacts");

    public AgentProtocolSettings {
        agents = List.copyOf(agents);
    }

    public static AgentProtocolSettings from(Config config) {
        List<RemoteAgentSettings> found = new ArrayList<>();
        collect(config.get("agents"), "", found);
        return new AgentProtocolSettings(found);
    }

    private static void collect(Config node, String name, List<RemoteAgentSettings> found) {
        if (!node.isObject()) {
            return;
        }
        Optional<String> url = node.get("url").asString().asOptional().filter(u -> !u.isBlank());
        if (url.isPresent() && !name.isEmpty()) {
            found.add(agent(node, name, url.get().trim()));
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            String segment = child.name().toLowerCase(Locale.ROOT);
            // AGENTS_MY_URL and AGENTS_MY_AGENT_URL are two agents; AGENTS_MY_MAX_STEPS is a setting of the first.
            if (url.isEmpty() || !SETTING_KEYS.contains(segment)) {
                collect(child, name.isEmpty() ? segment : name + "_" + segment, found);
            }
        }
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
