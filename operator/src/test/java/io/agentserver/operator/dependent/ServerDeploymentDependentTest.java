package io.agentserver.operator.dependent;

import io.agentserver.operator.api.ImagePullPolicy;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerDeploymentDependentTest {

    private final ServerDeploymentDependent dependent = new ServerDeploymentDependent();

    @Test
    void wiresDatabaseRedisAndAuthOfAManagedInstance() {
        Deployment deployment = dependent.desired(Samples.managed("demo"), "abc");
        Container container = container(deployment);

        assertThat(container.getImage()).isEqualTo(Samples.IMAGE);
        assertThat(container.getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("demo-config"));
        assertThat(secretOf(container, "DB_CONNECTION_USERNAME")).isEqualTo("demo-postgres/username");
        assertThat(secretOf(container, "DB_CONNECTION_PASSWORD")).isEqualTo("demo-postgres/password");
        assertThat(secretOf(container, "REDIS_PASSWORD")).isEqualTo("demo-credentials/redis-password");
        assertThat(secretOf(container, "AUTH_JWT_SECRET")).isEqualTo("demo-credentials/jwt-secret");
        assertThat(value(container, "REDIS_URI")).isEqualTo("redis://demo-redis:6379/0");
    }

    @Test
    void probesTheServiceHealthEndpoints() {
        Container container = container(dependent.desired(Samples.managed("demo"), "abc"));

        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(8080));
    }

    @Test
    void runsAsTheImagesNonRootUserOnAReadOnlyRootFilesystemWithoutServiceLinks() {
        Deployment deployment = dependent.desired(Samples.managed("demo"), "abc");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("no fixed UID: OpenShift's restricted-v2 assigns one").isNull();
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(container(deployment).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container(deployment).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container(deployment).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container(deployment).getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder("/tmp", "/app/data");
    }

    @Test
    void putsTheConfigHashOnThePodTemplate() {
        Deployment first = dependent.desired(Samples.managed("demo"), "abc");
        Deployment second = dependent.desired(Samples.managed("demo"), "def");

        assertThat(first.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(ResourceNames.HASH_ANNOTATION, "abc");
        assertThat(second.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(ResourceNames.HASH_ANNOTATION, "def");
    }

    @Test
    void appliesReplicasPodTemplateBasicsAndUserEnvLast() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setReplicas(4);
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setLabels(Map.of("team", "agents", Labels.INSTANCE, "spoofed"));
        pod.setAnnotations(Map.of("sidecar.istio.io/inject", "false"));
        pod.setNodeSelector(Map.of("pool", "agents"));
        pod.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
        resource.getSpec().setPodTemplate(pod);
        resource.getSpec().setEnv(List.of(new EnvVarBuilder().withName("AUTH_JWT_AUDIENCE").withValue("mine").build()));

        Deployment deployment = dependent.desired(resource, "abc");

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(4);
        var template = deployment.getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("team", "agents").containsEntry(Labels.INSTANCE, "demo");
        assertThat(template.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
        assertThat(template.getSpec().getNodeSelector()).containsEntry("pool", "agents");
        assertThat(template.getSpec().getTolerations()).hasSize(1);
        assertThat(names(container(deployment))).last().isEqualTo("AUTH_JWT_AUDIENCE");
        assertThat(names(container(deployment))).doesNotHaveDuplicates();
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Labels.selector(resource, io.agentserver.operator.model.Component.SERVER));
    }

    @Test
    void aStoppingPodPausesWhileEndpointsForgetItThenDrainsWithinAGracePeriodThatCoversBoth() {
        AgentServer defaults = Samples.managed("demo");
        var pod = dependent.desired(defaults, "abc").getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().getFirst().getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10L);
        assertThat(pod.getTerminationGracePeriodSeconds()).as("preStop 10 + drain 10 + exit 5").isEqualTo(25L);
        assertThat(new io.agentserver.operator.model.ServerEnvironment(defaults).configData())
                .containsEntry("SHUTDOWN_DRAIN_dash_TIMEOUT", "PT10S");

        AgentServer slow = Samples.managed("slow");
        var shutdown = new io.agentserver.operator.api.ShutdownSpec();
        shutdown.setPreStopSeconds(3);
        shutdown.setDrainTimeoutSeconds(45);
        slow.getSpec().setShutdown(shutdown);
        var slowPod = dependent.desired(slow, "abc").getSpec().getTemplate().getSpec();

        assertThat(slowPod.getContainers().getFirst().getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(3L);
        assertThat(slowPod.getTerminationGracePeriodSeconds()).isEqualTo(53L);
        assertThat(new io.agentserver.operator.model.ServerEnvironment(slow).configData())
                .containsEntry("SHUTDOWN_DRAIN_dash_TIMEOUT", "PT45S");

        shutdown.setPreStopSeconds(0);
        assertThat(dependent.desired(slow, "abc").getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getLifecycle()).as("no preStop asked").isNull();
    }

    @Test
    void anInstanceWithoutRedisOrDatabaseGetsNeitherVariable() {
        Container container = container(dependent.desired(Samples.minimal("solo"), "abc"));

        assertThat(names(container)).containsExactly("AUTH_JWT_SECRET");
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static List<String> names(Container container) {
        return container.getEnv().stream().map(EnvVar::getName).toList();
    }

    private static String value(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static String secretOf(Container container, String name) {
        var ref = container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    @Test
    void pullsWithThePolicyOfTheSpec() {
        AgentServer resource = Samples.managed("demo");
        assertThat(container(dependent.desired(resource, "abc")).getImagePullPolicy()).isEqualTo("IfNotPresent");

        resource.getSpec().setImagePullPolicy(ImagePullPolicy.Always);

        assertThat(container(dependent.desired(resource, "abc")).getImagePullPolicy()).isEqualTo("Always");
    }
}
