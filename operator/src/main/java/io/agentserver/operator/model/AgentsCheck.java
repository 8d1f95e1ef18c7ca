package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentProtocolAgentSpec;
import io.agentserver.operator.api.AgentsSpec;
import io.agentserver.operator.api.LlmAgentSpec;
import io.agentserver.operator.api.SecretKeyRef;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules of {@code spec.agents} the CRD states, checked again by the operator (see {@link SpecCheck}). */
final class AgentsCheck {

    private static final String NAME = "[a-z][a-z0-9]*";

    private AgentsCheck() {
    }

    static void check(AgentsSpec agents, List<String> problems) {
        if (agents == null) {
            return;
        }
        if (agents.getDefaultAgent() != null && !agents.getDefaultAgent().matches(NAME)) {
            problems.add("spec.agents.default must be lowercase letters and digits, starting with a letter");
        }
        if (AgentsSpec.LLM.equals(agents.getDefaultAgent()) && agents.getLlm() == null) {
            problems.add("spec.agents: default llm needs agents.llm");
        }
        if (agents.getLlm() != null) {
            if (agents.getLlm().getModel() == null || agents.getLlm().getModel().isBlank()) {
                problems.add("spec.agents.llm.model is required");
            }
            secretKey("spec.agents.llm.apiKeySecretRef", agents.getLlm().getApiKeySecretRef(), problems);
            if (agents.getLlm().getTimeout() != null && !agents.getLlm().getTimeout().matches(LlmAgentSpec.TIMEOUT_PATTERN)) {
                problems.add("spec.agents.llm.timeout must be an ISO-8601 duration such as PT60S");
            }
        }
        Set<String> seen = new HashSet<>();
        for (AgentProtocolAgentSpec agent : agents.agentProtocolOrEmpty()) {
            String name = agent.getName();
            if (name == null || !name.matches(NAME)) {
                problems.add("spec.agents.agentProtocol name \"" + name
                        + "\" must be lowercase letters and digits, starting with a letter");
                continue;
            }
            if (AgentsSpec.LLM.equals(name)) {
                problems.add("spec.agents: the name llm belongs to the built-in LLM agent;"
                        + " name the Agent Protocol agent differently");
            }
            if (!seen.add(name)) {
                problems.add("spec.agents: each agentProtocol name must be unique (" + name + " repeats)");
            }
            if (agent.getUrl() == null || !agent.getUrl().matches("^https?://.+")) {
                problems.add("spec.agents.agentProtocol[" + name + "].url must be an http(s) url");
            }
            if (!AgentProtocolAgentSpec.DEFAULT_PROTOCOL.equals(agent.protocolOrDefault())
                    && !AgentProtocolAgentSpec.A2A.equals(agent.protocolOrDefault())) {
                problems.add("spec.agents.agentProtocol[" + name + "].protocol must be agent-protocol or a2a");
            }
            if (agent.getUrl() != null && agent.getUrl().endsWith(".json") && !AgentProtocolAgentSpec.A2A.equals(agent.protocolOrDefault())) {
                problems.add("spec.agents.agentProtocol[" + name + "].url ends in .json, an A2A agent card; set protocol: a2a");
            }
            secretKey("spec.agents.agentProtocol[" + name + "].tokenSecretRef", agent.getTokenSecretRef(), problems);
            if (agent.getTimeout() != null && !agent.getTimeout().matches(LlmAgentSpec.TIMEOUT_PATTERN)) {
                problems.add("spec.agents.agentProtocol[" + name + "].timeout must be an ISO-8601 duration such as PT5M");
            }
        }
    }

    private static void secretKey(String field, SecretKeyRef ref, List<String> problems) {
        if (ref != null && (ref.getName() == null || ref.getKey() == null)) {
            problems.add(field + " needs both name and key");
        }
    }
}
