package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
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
    void underAnAutoscalerReplicasAreLeftOutOfApplyPatchesAndKeptOnUpdates() {
        assertThat(ReplicasUnderAutoscaler.replicas(true, Optional.of(4), 2)).as("server-side apply: field not claimed").isNull();
        assertThat(ReplicasUnderAutoscaler.replicas(false, Optional.of(4), 2)).as("update: what the autoscaler set").isEqualTo(4);
        assertThat(ReplicasUnderAutoscaler.replicas(false, Optional.empty(), 2)).as("creation: the minimum").isEqualTo(2);
    }
}
