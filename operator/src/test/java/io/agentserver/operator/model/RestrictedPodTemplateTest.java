package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.podTemplate under the restricted Pod Security Standard: whoever may create an AgentServer must not
 * get privileged or host-level containers, or another workload's service account, into its namespace
 * through the operator, unless the operator was installed to allow it.
 */
class RestrictedPodTemplateTest {

    @Test
    void whatTheRestrictedStandardForbidsIsAnInvalidSpec() {
        AgentServer owner = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setServiceAccountName("cluster-admin-bot");
        pod.setVolumes(List.of(
                new VolumeBuilder().withName("host").withNewHostPath().withPath("/").endHostPath().build(),
                new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build()));
        pod.setSidecars(List.of(new ContainerBuilder().withName("root").withImage("busybox")
                .addNewPort().withContainerPort(80).withHostPort(80).endPort()
                .withNewSecurityContext().withPrivileged(true).withAllowPrivilegeEscalation(true).withRunAsUser(0L)
                    .withRunAsNonRoot(false).withNewCapabilities().withAdd("SYS_ADMIN", "NET_BIND_SERVICE").endCapabilities()
                    .withNewSeccompProfile().withType("Unconfined").endSeccompProfile().withProcMount("Unmasked")
                .endSecurityContext().build()));
        owner.getSpec().setPodTemplate(pod);

        List<String> problems = SpecCheck.problems(owner.getSpec());

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.podTemplate.serviceAccountName"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.podTemplate.volumes[host]: hostPath volumes are not allowed"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.podTemplate.sidecars[root].ports: hostPort 80"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.podTemplate.sidecars[root].securityContext.privileged"))
                .anySatisfy(p -> assertThat(p).contains("allowPrivilegeEscalation must be false"))
                .anySatisfy(p -> assertThat(p).contains("capabilities.add: SYS_ADMIN"))
                .anySatisfy(p -> assertThat(p).contains("runAsUser: 0"))
                .anySatisfy(p -> assertThat(p).contains("runAsNonRoot must not be false"))
                .anySatisfy(p -> assertThat(p).contains("seccompProfile: Unconfined"))
                .anySatisfy(p -> assertThat(p).contains("procMount: Unmasked"))
                .noneSatisfy(p -> assertThat(p).contains("NET_BIND_SERVICE"))
                .noneSatisfy(p -> assertThat(p).contains("volumes[cache]"));
        assertThat(problems).allSatisfy(p -> assertThat(p).contains("UNRESTRICTED_POD_TEMPLATES=true"));
        assertThat(SpecCheck.problems(owner.getSpec(), PodTemplatePolicy.UNRESTRICTED)).as("an unrestricted operator").isEmpty();
    }

    @Test
    void aPlainSidecarIsAllowedAndGetsTheRestrictedDefaults() {
        AgentServer owner = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setSidecars(List.of(new ContainerBuilder().withName("proxy").withImage("envoy").build()));
        owner.getSpec().setPodTemplate(pod);
        assertThat(SpecCheck.problems(owner.getSpec())).isEmpty();

        var spec = new PodSpecBuilder().withContainers(new ContainerBuilder().withName("agent-server").build()).build();
        ServerPodExtras.apply(pod, spec);

        Container proxy = spec.getContainers().get(1);
        assertThat(proxy.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(proxy.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
}
