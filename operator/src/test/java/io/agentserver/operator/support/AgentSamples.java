package io.agentserver.operator.support;

import io.agentserver.operator.api.AgentProtocolAgentSpec;
import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentsSpec;
import io.agentserver.operator.api.AutoscalingSpec;
import io.agentserver.operator.api.LlmAgentSpec;
import io.agentserver.operator.api.SecretKeyRef;

import java.util.List;

/** {@code spec.agents} and {@code spec.autoscaling} values the tests start from. */
public final class AgentSamples {

    private AgentSamples() {
    }

    /** The LLM agent on a local model server with a key, and two Agent Protocol agents, one with a token. */
    public static AgentsSpec llmAndForge() {
        LlmAgentSpec llm = new LlmAgentSpec();
        llm.setBaseUrl("http://ollama.ai:11434/v1");
        llm.setModel("llama3.1");
        llm.setApiKeySecretRef(new SecretKeyRef("llm-key", "api-key"));
        llm.setTimeout("PT90S");
        llm.setMaxSteps(25);
        llm.setMaxTokens(4096);
        AgentProtocolAgentSpec forge = new AgentProtocolAgentSpec("forge", "http://forge:8000");
        forge.setTokenSecretRef(new SecretKeyRef("forge-token", "token"));
        forge.setTimeout("PT10M");
        forge.setMaxSteps(50);
        AgentProtocolAgentSpec classic = new AgentProtocolAgentSpec("autogpt2", "https://classic.agents:8443");
        AgentsSpec agents = new AgentsSpec();
        agents.setDefaultAgent("llm");
        agents.setLlm(llm);
        agents.setAgentProtocol(List.of(forge, classic));
        return agents;
    }

    /** A managed instance whose agents are {@link #llmAndForge()}. */
    public static AgentServer managedWithAgents(String name) {
        AgentServer resource = Samples.managed(name);
        resource.getSpec().setAgents(llmAndForge());
        return resource;
    }

    public static AutoscalingSpec autoscaling(int min, int max) {
        AutoscalingSpec autoscaling = new AutoscalingSpec();
        autoscaling.setEnabled(true);
        autoscaling.setMinReplicas(min);
        autoscaling.setMaxReplicas(max);
        return autoscaling;
    }
}
