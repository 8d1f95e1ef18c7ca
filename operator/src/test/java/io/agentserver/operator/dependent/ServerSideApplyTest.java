package io.agentserver.operator.dependent;

import io.agentserver.operator.Leadership;
import io.agentserver.operator.OperatorMain;
import io.agentserver.operator.OperatorSettings;
import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitoringSpec;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.reconciler.AgentServerReconciler;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-side-apply path, as far as it can be checked without an API server that supports
 * apply patches (the fabric8 mock answers them with 404/415): with {@code OPERATOR_SSA=true} every
 * dependent of the workflow but ConfigMaps and Secrets is applied with SSA and the status is patched
 * with SSA; and every desired object is a valid apply patch (type and identity, nothing the server
 * owns, and no replica count while an autoscaler owns it).
 */
class ServerSideApplyTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void withSsaOnEveryWorkflowDependentButConfigMapsAndSecretsIsServerSideApplied() throws Exception {
        try (MockCluster cluster = MockCluster.withCrd()) {
            ConfigurationService on = configuration(cluster, "true");
            ConfigurationService off = configuration(cluster, "false");

            assertThat(on.useSSAToPatchPrimaryResource()).isTrue();
            assertThat(off.useSSAToPatchPrimaryResource()).isFalse();
            List<Class<? extends KubernetesDependentResource>> dependents = workflowDependents();
            assertThat(dependents).contains(ServerDeploymentDependent.class, HorizontalPodAutoscalerDependent.class,
                    RedisNetworkPolicyDependent.class, ServiceMonitorDependent.class, ConfigMapDependent.class);
            for (Class<? extends KubernetesDependentResource> type : dependents) {
                Class<? extends HasMetadata> resource = type.getDeclaredConstructor().newInstance().resourceType();
                boolean expected = !Set.of(ConfigMap.class, Secret.class).contains(resource);
                assertThat(on.shouldUseSSA(type, resource, null)).as(type.getSimpleName()).isEqualTo(expected);
                assertThat(off.shouldUseSSA(type, resource, null)).as(type.getSimpleName() + " with SSA off").isFalse();
            }
        }
    }

    @Test
    void everyDesiredObjectIsAValidApplyPatch() {
        AgentServer owner = AgentSamples.managedWithAgents("demo");
        owner.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        owner.getSpec().setMonitoring(monitoring);

        List<HasMetadata> desired = everyDesiredObject(owner);

        for (HasMetadata object : desired) {
            String yaml = SERIALIZATION.asYaml(object);
            @SuppressWarnings("unchecked")
            Map<String, Object> patch = SERIALIZATION.unmarshal(yaml, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) patch.get("metadata");
            String what = object.getKind() + " " + object.getMetadata().getName();
            assertThat(patch).as(what).containsKeys("apiVersion", "kind", "metadata", "spec").doesNotContainKey("status");
            assertThat(metadata).as(what).containsEntry("namespace", "agents").containsKey("name")
                    .doesNotContainKeys("resourceVersion", "uid", "creationTimestamp", "managedFields", "generation");
            assertThat(SERIALIZATION.asYaml(SERIALIZATION.unmarshal(yaml, object.getClass())))
                    .as(what + " reads back as the same patch").isEqualTo(yaml);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> deploymentSpec = (Map<String, Object>) SERIALIZATION.unmarshal(
                SERIALIZATION.asYaml(desired.getFirst()), Map.class).get("spec");
        assertThat(deploymentSpec).as("the autoscaler's field, once it owns it, is not claimed").doesNotContainKey("replicas").containsKey("template");
    }

    /** Every object the operator can create for an owner, with every feature of its spec as set. */
    static List<HasMetadata> everyDesiredObject(AgentServer owner) {
        List<HasMetadata> desired = new java.util.ArrayList<>(List.of(
                new ServerDeploymentDependent().desired(owner, "abc", true,
                        Optional.of(ServerPodTemplateTest.running(4, "agentserver", "kube-controller-manager")), "agentserver"),
                new ServerServiceDependent().desired(owner, null),
                new PodDisruptionBudgetDependent().desired(owner, null),
                new RedisDeploymentDependent().desired(owner, PodSecurity.FIXED_USER_IDS, "redis-password-hash"),
                new RedisServiceDependent().desired(owner, null),
                new PostgresStatefulSetDependent().desired(owner, PodSecurity.FIXED_USER_IDS, "postgres-password-hash"),
                new PostgresServiceDependent().desired(owner, null),
                new RedisNetworkPolicyDependent().desired(owner),
                new PostgresNetworkPolicyDependent().desired(owner)));
        if (owner.getSpec().monitored()) {
            desired.add(new ServiceMonitorDependent().desired(owner));
            desired.add(new PodMonitorDependent().desired(owner));
        }
        if (owner.getSpec().autoscaled()) {
            desired.add(new HorizontalPodAutoscalerDependent().desired(owner));
        }
        if (owner.getSpec().cloudNativePg()) {
            desired.add(new CloudNativePgClusterDependent().desired(owner));
            if (owner.getSpec().getDatabase().getCloudNativePG().getBackup() != null) {
                desired.add(new CloudNativePgBackupDependent().desired(owner));
            }
        }
        return desired;
    }

    private static ConfigurationService configuration(MockCluster cluster, String ssa) {
        Operator operator = OperatorMain.setup(cluster.client(), OperatorSettings.from(Map.of("OPERATOR_SSA", ssa)),
                new SimpleMeterRegistry(), Clock.systemUTC(), Leadership.always(), false);
        return operator.getConfigurationService();
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends KubernetesDependentResource>> workflowDependents() {
        Workflow workflow = AgentServerReconciler.class.getAnnotation(Workflow.class);
        return Arrays.stream(workflow.dependents())
                .<Class<? extends KubernetesDependentResource>>map(d -> (Class<? extends KubernetesDependentResource>) d.type())
                .toList();
    }
}
