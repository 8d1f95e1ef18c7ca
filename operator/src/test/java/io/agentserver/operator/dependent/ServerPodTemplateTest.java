package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.podTemplate's scheduling, identity and extension fields reach the agent server pods. */
class ServerPodTemplateTest {

    private final ServerDeploymentDependent dependent = new ServerDeploymentDependent();

    @Test
    void passesPullSecretsServiceAccountSchedulingAndPriorityThrough() {
        AgentServer resource = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setImagePullSecrets(List.of(new LocalObjectReference("registry-auth")));
        pod.setServiceAccountName("agents");
        pod.setAffinity(new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                    .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname").endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build());
        pod.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("ScheduleAnyway").build()));
        pod.setPriorityClassName("agents-high");
        resource.getSpec().setPodTemplate(pod);

        PodSpec spec = dependent.desired(resource, "abc").getSpec().getTemplate().getSpec();

        assertThat(spec.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry-auth");
        assertThat(spec.getServiceAccountName()).isEqualTo("agents");
        assertThat(spec.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(spec.getTopologySpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
        assertThat(spec.getPriorityClassName()).isEqualTo("agents-high");
    }

    @Test
    void extraVolumesMountsAndSidecarsAreAddedBesideTheOperatorsOwn() {
        AgentServer resource = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setVolumes(List.of(new VolumeBuilder().withName("certs").withNewSecret().withSecretName("ca").endSecret().build()));
        pod.setVolumeMounts(List.of(new VolumeMountBuilder().withName("certs").withMountPath("/etc/certs").withReadOnly(true).build()));
        pod.setSidecars(List.of(new ContainerBuilder().withName("proxy").withImage("envoyproxy/envoy:v1.31").build()));
        resource.getSpec().setPodTemplate(pod);

        PodSpec spec = dependent.desired(resource, "abc").getSpec().getTemplate().getSpec();

        assertThat(spec.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "data", "certs");
        assertThat(spec.getContainers()).extracting(c -> c.getName())
                .as("the agent server stays first: env, probes and status read it by position")
                .containsExactly(ServerDeploymentDependent.CONTAINER, "proxy");
        assertThat(spec.getContainers().getFirst().getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactly("/tmp", "/app/data", "/etc/certs");
    }

    @Test
    void withoutPodTemplateSettingsNothingExtraIsSet() {
        PodSpec spec = dependent.desired(Samples.managed("demo"), "abc").getSpec().getTemplate().getSpec();

        assertThat(spec.getServiceAccountName()).isNull();
        assertThat(spec.getAffinity()).isNull();
        assertThat(spec.getPriorityClassName()).isNull();
        assertThat(spec.getContainers()).hasSize(1);
        assertThat(Map.of("volumes", spec.getVolumes().size())).containsEntry("volumes", 2);
    }

    @Test
    void turningAutoscalingOnKeepsTheCurrentCountUntilTheAutoscalerOwnsTheField() {
        AgentServer owner = Samples.managed("demo");
        owner.getSpec().setAutoscaling(io.agentserver.operator.support.AgentSamples.autoscaling(2, 10));
        Deployment ours = running(4, "agentserver");

        assertThat(dependent.desired(owner, "abc", true, Optional.of(ours), "agentserver").getSpec().getReplicas())
                .as("SSA before the autoscaler took spec.replicas: the count the Deployment has, not the API default 1")
                .isEqualTo(4);
        assertThat(dependent.desired(owner, "abc", true, Optional.of(running(7, "agentserver", "kube-controller-manager")),
                "agentserver").getSpec().getReplicas()).as("SSA once the autoscaler owns it: left out").isNull();
        assertThat(dependent.desired(owner, "abc", false, Optional.of(ours), "agentserver").getSpec().getReplicas())
                .as("update: what the Deployment has").isEqualTo(4);
        assertThat(dependent.desired(owner, "abc", true, Optional.empty(), "agentserver").getSpec().getReplicas())
                .as("creation: the autoscaler's minimum").isEqualTo(2);
    }

    /** A Deployment with this count whose spec.replicas the given field managers own. */
    static Deployment running(int replicas, String... owners) {
        var managed = java.util.Arrays.stream(owners).map(manager -> {
            var fields = new io.fabric8.kubernetes.api.model.FieldsV1();
            fields.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
            return new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder().withManager(manager)
                    .withOperation(manager.equals("agentserver") ? "Apply" : "Update").withFieldsV1(fields).build();
        }).toList();
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("demo").withManagedFields(managed).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }
}
