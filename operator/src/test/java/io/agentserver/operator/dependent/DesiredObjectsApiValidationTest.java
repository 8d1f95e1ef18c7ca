package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitoringSpec;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.model.SpecCheck;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.ApiServerValidation;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object the operator can send, for specs that use every feature, passes what a real API server
 * checks before it stores an object: list-map keys unique, fields and types known to the Kubernetes
 * model, quantities, names and labels ({@link ApiServerValidation}).
 */
class DesiredObjectsApiValidationTest {

    @Test
    void everyDesiredObjectOfAFullSpecPassesTheApiServersChecks() {
        AgentServer owner = AgentSamples.managedWithAgents("demo");
        owner.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        owner.getSpec().setMonitoring(monitoring);
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setVolumes(List.of(new VolumeBuilder().withName("certs").withNewSecret().withSecretName("certs").endSecret().build()));
        pod.setVolumeMounts(List.of(new VolumeMountBuilder().withName("certs").withMountPath("/certs").build()));
        pod.setSidecars(List.of(new ContainerBuilder().withName("proxy").withImage("envoyproxy/envoy:v1.31")
                .addNewPort().withName("proxy").withContainerPort(9901).endPort()
                .addNewEnv().withName("LOG").withValue("info").endEnv().build()));
        owner.getSpec().setPodTemplate(pod);

        assertNoProblems(owner);
        assertNoProblems(Samples.external("ext"));
        assertNoProblems(cloudNativePg());
        assertNoProblems(Samples.minimal("solo"));
    }

    @Test
    void userEnvNamedLikeTheOperatorsYieldsOneEntryPerNameSoTheApiServerTakesTheDeployment() {
        AgentServer owner = AgentSamples.managedWithAgents("demo");
        owner.getSpec().setEnv(List.of(env("REDIS_URI", "redis://elsewhere:6379/0"), env("LLM_API_KEY", "inline"),
                env("DB_CONNECTION_USERNAME", "me"), env("AUTH_JWT_SECRET", "x".repeat(40)), env("JAVA_TOOL_OPTIONS", "-Xss1m")));
        assertThat(SpecCheck.problems(owner.getSpec())).isEmpty();

        Deployment deployment = new ServerDeploymentDependent().desired(owner, "abc");

        assertThat(ApiServerValidation.duplicateListMapKeys(deployment)).isEmpty();
        assertNoProblems(owner);
        var env = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).filteredOn(e -> e.getName().equals("REDIS_URI")).singleElement()
                .extracting(EnvVar::getValue).isEqualTo("redis://elsewhere:6379/0");
    }

    @Test
    void theValidatorFindsWhatTheApiServerWouldRefuse() {
        AgentServer owner = Samples.managed("demo");
        Deployment deployment = new ServerDeploymentDependent().desired(owner, "abc");
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        container.getEnv().add(env("REDIS_URI", "again"));
        container.getVolumeMounts().add(new VolumeMountBuilder().withName("data").withMountPath("/tmp").build());
        container.getAdditionalProperties().put("restartPolicyy", "Always");

        assertThat(ApiServerValidation.problems(deployment)).anySatisfy(p -> assertThat(p).contains(
                        "containers[agent-server].env: duplicate entries for key [name=REDIS_URI]"))
                .anySatisfy(p -> assertThat(p).contains("volumeMounts: duplicate entries for key [mountPath=/tmp]"))
                .anySatisfy(p -> assertThat(p).contains("unknown field(s) [restartPolicyy]"));
    }

    @Test
    void duplicatesInsideTheUsersOwnListsAreAnInvalidSpec() {
        AgentServer owner = Samples.managed("demo");
        owner.getSpec().setEnv(List.of(env("A", "1"), env("A", "2"), new EnvVarBuilder().withValue("nameless").build()));
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setVolumeMounts(List.of(new VolumeMountBuilder().withName("data").withMountPath("/tmp").build()));
        pod.setSidecars(List.of(new ContainerBuilder().withName("proxy").withImage("p")
                .addNewPort().withContainerPort(80).endPort().addNewPort().withContainerPort(80).withProtocol("TCP").endPort()
                .build()));
        owner.getSpec().setPodTemplate(pod);

        assertThat(SpecCheck.problems(owner.getSpec())).anySatisfy(p -> assertThat(p).startsWith("spec.env: A appears more than once"))
                .anySatisfy(p -> assertThat(p).isEqualTo("spec.env: every entry needs a name"))
                .anySatisfy(p -> assertThat(p).contains("mountPath \"/tmp\" is missing or taken"))
                .anySatisfy(p -> assertThat(p).contains("sidecars[proxy].ports: \"80/TCP\""));
    }

    /** k8s/samples/cloudnativepg.yaml. */
    static AgentServer cloudNativePg() {
        try {
            return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(
                    java.nio.file.Files.readString(java.nio.file.Path.of("../k8s/samples/cloudnativepg.yaml")), AgentServer.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoProblems(AgentServer owner) {
        List<HasMetadata> desired = ServerSideApplyTest.everyDesiredObject(owner);
        assertThat(desired.stream().flatMap(object -> ApiServerValidation.problems(object).stream()).toList())
                .as("what an API server would refuse").isEmpty();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
