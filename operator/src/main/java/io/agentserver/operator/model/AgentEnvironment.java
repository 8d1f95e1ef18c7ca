package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentProtocolAgentSpec;
import io.agentserver.operator.api.AgentsSpec;
import io.agentserver.operator.api.LlmAgentSpec;
import io.agentserver.operator.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment of {@code spec.agents}: plain settings ({@code LLM_*}, {@code AGENTS_DEFAULT},
 * {@code AGENTS_<NAME>_URL}, {@code _PROTOCOL}, {@code _TIMEOUT}, {@code _MAX_STEPS}) for the ConfigMap, and the API key and tokens as secretKeyRef env,
 * never copied into a ConfigMap. Agent names are lowercase letters and digits (the CRD says so),
 * so {@code <NAME>} is the name upper-cased.
 */
public final class AgentEnvironment {

    private final AgentsSpec agents;

    public AgentEnvironment(AgentsSpec agents) {
        this.agents = agents;
    }

    /** Plain settings, for the ConfigMap. */
    public Map<String, String> configData() {
        Map<String, String> data = new LinkedHashMap<>();
        if (agents == null) {
            return data;
        }
        if (agents.getDefaultAgent() != null) {
            data.put("AGENTS_DEFAULT", agents.getDefaultAgent());
        }
        LlmAgentSpec llm = agents.getLlm();
        if (llm != null) {
            putIfPresent(data, "LLM_BASE_URL", llm.getBaseUrl());
            putIfPresent(data, "LLM_MODEL", llm.getModel());
            putIfPresent(data, "LLM_TIMEOUT", llm.getTimeout());
            putIfPresent(data, "LLM_MAX_STEPS", llm.getMaxSteps());
            putIfPresent(data, "LLM_MAX_TOKENS", llm.getMaxTokens());
        }
        for (AgentProtocolAgentSpec agent : agents.agentProtocolOrEmpty()) {
            data.put(prefix(agent) + "_URL", agent.getUrl());
            data.put(prefix(agent) + "_PROTOCOL", agent.protocolOrDefault());
            putIfPresent(data, prefix(agent) + "_TIMEOUT", agent.getTimeout());
            putIfPresent(data, prefix(agent) + "_MAX_STEPS", agent.getMaxSteps());
        }
        return data;
    }

    /** The API key and bearer tokens, each a secretKeyRef. */
    public List<EnvVar> containerEnv() {
        List<EnvVar> env = new ArrayList<>();
        for (SecretUse use : secretUses()) {
            env.add(new EnvVarBuilder().withName(use.envName())
                    .withNewValueFrom().withNewSecretKeyRef().withName(use.ref().name()).withKey(use.ref().key())
                    .endSecretKeyRef().endValueFrom()
                    .build());
        }
        return env;
    }

    /** The Secret keys the pods read; each must exist, and a change rolls the pods. */
    public List<SecretReference> secretReferences() {
        return secretUses().stream().map(SecretUse::ref).toList();
    }

    private List<SecretUse> secretUses() {
        List<SecretUse> uses = new ArrayList<>();
        if (agents == null) {
            return uses;
        }
        if (agents.getLlm() != null && agents.getLlm().getApiKeySecretRef() != null) {
            uses.add(new SecretUse("LLM_API_KEY", reference("spec.agents.llm.apiKeySecretRef",
                    agents.getLlm().getApiKeySecretRef())));
        }
        for (AgentProtocolAgentSpec agent : agents.agentProtocolOrEmpty()) {
            if (agent.getTokenSecretRef() != null) {
                uses.add(new SecretUse(prefix(agent) + "_TOKEN", reference(
                        "spec.agents.agentProtocol[" + agent.getName() + "].tokenSecretRef", agent.getTokenSecretRef())));
            }
        }
        return uses;
    }

    /** {@code forge} → {@code AGENTS_FORGE}. */
    static String prefix(AgentProtocolAgentSpec agent) {
        return "AGENTS_" + agent.getName().toUpperCase(Locale.ROOT);
    }

    private static SecretReference reference(String field, SecretKeyRef ref) {
        return new SecretReference(field, ref.getName(), ref.getKey());
    }

    private static void putIfPresent(Map<String, String> data, String name, Object value) {
        if (value != null) {
            data.put(name, String.valueOf(value));
        }
    }

    private record SecretUse(String envName, SecretReference ref) {
    }
}
