package io.agentserver.service.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The agents this replica can run, by name, and the one used when a client names none we know. */
public final class AgentCatalog {

    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Agent fallback;

    public AgentCatalog(List<Agent> agents, String fallbackName) {
        agents.forEach(a -> this.agents.put(a.name(), a));
        this.fallback = Optional.ofNullable(this.agents.get(fallbackName))
                .orElseThrow(() -> new IllegalArgumentException("the default agent (AGENTS_DEFAULT) is '"
                        + fallbackName + "', but no agent of that name is registered; registered: "
                        + this.agents.keySet()));
    }

    /**
     * The agent for the name a client sent. XAgent's web client sends its own agent names; they run on
     * the fallback agent rather than failing the run.
     */
    public Agent resolve(String name) {
        return name == null ? fallback : agents.getOrDefault(name, fallback);
    }

    public Set<String> names() {
        return agents.keySet();
    }
}
