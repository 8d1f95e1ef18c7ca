package io.agentserver.service.agent;

import io.helidon.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One remote agent configured under {@code agents}: every node below it that has a {@code url} is one agent,
 * named by its path below {@code agents} (segments joined with {@code _}, lowercase). The environment maps
 * {@code AGENTS_FORGE_URL} to {@code agents.forge.url} (agent {@code forge}) and {@code AGENTS_MY_AGENT_URL} to
 * {@code agents.my.agent.url} (agent {@code my_agent}); plain values such as {@code AGENTS_DEFAULT} are not
 * agents; {@code AGENTS_CODE_DASH_BOT_URL} names agent {@code code-bot}. {@code protocol} says which client
 * drives it: {@value #AGENT_PROTOCOL} (the default) or {@value #A2A}.
 *
 * @param url the configured URL, trimmed
 */
public record RemoteAgentNode(String name, String protocol, String url, Config node) {

    public static final String AGENT_PROTOCOL = "agent-protocol";
    public static final String A2A = "a2a";
    private static final Set<String> PROTOCOLS = Set.of(AGENT_PROTOCOL, A2A);
    /** Keys of an agent node that are its settings, never the start of another agent's name. */
    private static final Set<String> SETTING_KEYS = Set.of("url", "token", "timeout", "max-steps", "max", "protocol",
            "max-response-bytes", "max-artifact-bytes", "max-artifacts", "idle-timeout", "poll-interval", "card-ttl",
            "fetch-origins");

    /**
     * Every agent below {@code agents}, whatever its protocol.
     *
     * @throws IllegalArgumentException when an agent names a protocol this server does not speak
     */
    public static List<RemoteAgentNode> under(Config agents) {
        List<RemoteAgentNode> found = new ArrayList<>();
        collect(agents, "", found);
        return found;
    }

    private static void collect(Config node, String name, List<RemoteAgentNode> found) {
        if (!node.isObject()) {
            return;
        }
        Optional<String> url = node.get("url").asString().asOptional().filter(u -> !u.isBlank());
        if (url.isPresent() && !name.isEmpty()) {
            String protocol = node.get("protocol").asString().asOptional().map(p -> p.trim().toLowerCase(Locale.ROOT))
                    .filter(p -> !p.isEmpty()).orElse(AGENT_PROTOCOL);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("agent " + name + ": protocol must be " + AGENT_PROTOCOL + " or "
                        + A2A + ", got " + protocol);
            }
            found.add(new RemoteAgentNode(name, protocol, url.get().trim(), node));
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            String segment = child.name().toLowerCase(Locale.ROOT);
            // AGENTS_MY_URL and AGENTS_MY_AGENT_URL are two agents; AGENTS_MY_MAX_STEPS is a setting of the first.
            if (url.isEmpty() || !SETTING_KEYS.contains(segment)) {
                collect(child, name.isEmpty() ? segment : name + "_" + segment, found);
            }
        }
    }
}
