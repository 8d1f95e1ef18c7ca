package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.agents → the agent server's environment (issue 10's wiring). */
class AgentEnvironmentTest {

    @Test
    void plainLlmAndAgentProtocolSettingsGoToTheConfigMap() {
        var data = new ServerEnvironment(AgentSamples.managedWithAgents("demo")).configData();

        assertThat(data).containsEntry("AGENTS_DEFAULT", "llm")
                .containsEntry("LLM_BASE_URL", "http://ollama.ai:11434/v1")
                .containsEntry("LLM_MODEL", "llama3.1")
                .containsEntry("LLM_TIMEOUT", "PT90S")
                .containsEntry("LLM_MAX_STEPS", "25")
                .containsEntry("LLM_MAX_TOKENS", "4096")
                .containsEntry("AGENTS_FORGE_URL", "http://forge:8000")
                .containsEntry("AGENTS_FORGE_TIMEOUT", "PT10M")
                .containsEntry("AGENTS_FORGE_MAX_STEPS", "50")
                .containsEntry("AGENTS_AUTOGPT2_URL", "https://classic.agents:8443")
                .doesNotContainKeys("AGENTS_AUTOGPT2_TIMEOUT", "AGENTS_AUTOGPT2_MAX_STEPS");
    }

    @Test
    void apiKeyAndTokensAreSecretKeyRefsAndNeverInTheConfigMap() {
        AgentServer resource = AgentSamples.managedWithAgents("demo");
        List<EnvVar> env = new ServerEnvironment(resource).containerEnv();

        assertThat(secretOf(env, "LLM_API_KEY")).isEqualTo("llm-key/api-key");
        assertThat(secretOf(env, "AGENTS_FORGE_TOKEN")).isEqualTo("forge-token/token");
        assertThat(env).extracting(EnvVar::getName).doesNotContain("AGENTS_AUTOGPT2_TOKEN");
        assertThat(new ServerEnvironment(resource).configData()).doesNotContainKeys("LLM_API_KEY", "AGENTS_FORGE_TOKEN");
    }

    @Test
    void referencedAgentSecretsAreCheckedAndHashedLikeEveryUserSecret() {
        List<SecretReference> refs = new ServerEnvironment(AgentSamples.managedWithAgents("demo")).userSecrets();

        assertThat(refs).contains(new SecretReference("spec.agents.llm.apiKeySecretRef", "llm-key", "api-key"),
                new SecretReference("spec.agents.agentProtocol[forge].tokenSecretRef", "forge-token", "token"));
    }

    @Test
    void userEnvReplacesTheOperatorsEntryOfTheSameNameAndEachNameAppearsOnce() {
        AgentServer resource = AgentSamples.managedWithAgents("demo");
        resource.getSpec().setEnv(List.of(
                new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("LLM_API_KEY").withValue("override").build(),
                new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("EXTRA").withValue("x").build()));

        List<EnvVar> env = new ServerEnvironment(resource).containerEnv();

        assertThat(env).filteredOn(e -> e.getName().equals("LLM_API_KEY")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("override"))
                .satisfies(e -> assertThat(e.getValueFrom()).isNull());
        assertThat(env).extracting(EnvVar::getName).doesNotHaveDuplicates().last().isEqualTo("EXTRA");
    }

    @Test
    void eachRemoteAgentSaysItsProtocolAndAnA2aCardUrlIsAcceptedOnlyForA2a() {
        AgentServer resource = AgentSamples.managedWithAgents("demo");
        var card = new io.agentserver.operator.api.AgentProtocolAgentSpec("helper",
                "https://helper.agents/.well-known/agent-card.json");
        card.setProtocol("a2a");
        var base = new io.agentserver.operator.api.AgentProtocolAgentSpec("planner", "https://planner.agents:8443");
        base.setProtocol("a2a");
        var agents = new java.util.ArrayList<>(resource.getSpec().getAgents().getAgentProtocol());
        agents.add(card);
        agents.add(base);
        resource.getSpec().getAgents().setAgentProtocol(agents);

        var data = new ServerEnvironment(resource).configData();

        assertThat(data).containsEntry("AGENTS_FORGE_PROTOCOL", "agent-protocol")
                .containsEntry("AGENTS_HELPER_PROTOCOL", "a2a")
                .containsEntry("AGENTS_HELPER_URL", "https://helper.agents/.well-known/agent-card.json")
                .containsEntry("AGENTS_PLANNER_PROTOCOL", "a2a");
        assertThat(SpecCheck.problems(resource.getSpec())).isEmpty();

        card.setProtocol(null);
        assertThat(SpecCheck.problems(resource.getSpec()))
                .containsExactly("spec.agents.agentProtocol[helper].url ends in .json, an A2A agent card; set protocol: a2a");
        card.setProtocol("grpc");
        assertThat(SpecCheck.problems(resource.getSpec()))
                .contains("spec.agents.agentProtocol[helper].protocol must be agent-protocol or a2a");
    }

    @Test
    void noAgentsMeansNoAgentSettings() {
        assertThat(new ServerEnvironment(Samples.managed("demo")).configData().keySet())
                .noneMatch(key -> key.startsWith("LLM_") || key.startsWith("AGENTS_"));
    }

    private static String secretOf(List<EnvVar> env, String name) {
        var ref = env.stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name)).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }
}
