package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentProtocolAgentSpec;
import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentsSpec;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's own checks of spec.agents and spec.autoscaling, for API servers that skip CEL. */
class ExpectedSpecCheckTest {

    @Test
    void agentsAndAutoscalingOfAManagedInstancePass() {
        AgentServer resource = AgentSamples.managedWithAgents("demo");
        resource.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));

        assertThat(SpecCheck.problems(resource.getSpec())).isEmpty();
    }

    @Test
    void agentProtocolNamesMustBeLowercaseUniqueAndNotLlm() {
        AgentServer resource = AgentSamples.managedWithAgents("demo");
        resource.getSpec().getAgents().setAgentProtocol(List.of(new AgentProtocolAgentSpec("Forge", "http://a"),
                new AgentProtocolAgentSpec("llm", "http://b"), new AgentProtocolAgentSpec("x", "http://c"),
                new AgentProtocolAgentSpec("x", "http://d")));

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly(
                "spec.agents.agentProtocol name \"Forge\" must be lowercase letters and digits, starting with a letter",
                "spec.agents: the name llm belongs to the built-in LLM agent; name the Agent Protocol agent differently",
                "spec.agents: each agentProtocol name must be unique (x repeats)");
    }

    @Test
    void defaultLlmNeedsTheLlmAgentAndTimeoutIsADuration() {
        AgentServer noLlm = Samples.managed("demo");
        AgentsSpec agents = new AgentsSpec();
        agents.setDefaultAgent("llm");
        noLlm.getSpec().setAgents(agents);
        AgentServer badTimeout = AgentSamples.managedWithAgents("demo");
        badTimeout.getSpec().getAgents().getLlm().setTimeout("90s");

        assertThat(SpecCheck.problems(noLlm.getSpec())).containsExactly("spec.agents: default llm needs agents.llm");
        assertThat(SpecCheck.problems(badTimeout.getSpec()))
                .containsExactly("spec.agents.llm.timeout must be an ISO-8601 duration such as PT60S");
    }

    @Test
    void autoscalingNeedsMaxAtLeastMinAndSharedBackendsBeyondOneReplica() {
        AgentServer inverted = Samples.managed("a");
        inverted.getSpec().setAutoscaling(AgentSamples.autoscaling(5, 2));
        AgentServer solo = Samples.minimal("b");
        solo.getSpec().setAutoscaling(AgentSamples.autoscaling(1, 3));
        AgentServer noMax = Samples.managed("c");
        noMax.getSpec().setAutoscaling(AgentSamples.autoscaling(1, 3));
        noMax.getSpec().getAutoscaling().setMaxReplicas(null);

        assertThat(SpecCheck.problems(inverted.getSpec())).containsExactly("spec.autoscaling: minReplicas must not exceed maxReplicas");
        assertThat(SpecCheck.problems(solo.getSpec()))
                .containsExactly("autoscaling beyond one replica needs spec.redis and spec.database (managed or external)");
        assertThat(SpecCheck.problems(noMax.getSpec())).containsExactly("spec.autoscaling: enabled needs maxReplicas");
    }

    @Test
    void podTemplateNamesThatTheApiServerWouldRefuseAreInvalidSpec() {
        AgentServer resource = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setSidecars(List.of(new ContainerBuilder().withName("agent-server").withImage("x").build(),
                new ContainerBuilder().withName("proxy").withImage("y").build()));
        pod.setVolumes(List.of(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("certs").withNewEmptyDir().endEmptyDir().build()));
        pod.setVolumeMounts(List.of(new VolumeMountBuilder().withName("certs").withMountPath("/certs").build(),
                new VolumeMountBuilder().withName("nowhere").withMountPath("/n").build()));
        resource.getSpec().setPodTemplate(pod);

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly(
                "spec.podTemplate.sidecars: name \"agent-server\" is missing or taken (agent-server is the operator's container)",
                "spec.podTemplate.volumes: name \"tmp\" is missing or taken (tmp and data are the operator's)",
                "spec.podTemplate.volumeMounts: volume \"nowhere\" is not in spec.podTemplate.volumes");
    }
}
