package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.api.MonitoringSpec;
import io.agentserver.operator.api.NetworkPolicySpec;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.dependent.ReferencedSecrets;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.status.ConditionType;
import io.agentserver.operator.status.InstanceMetrics;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.PrometheusOperatorCrds;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real operator is expected to do beyond creating its objects, end to end on the mock API
 * server: autoscaling without a fight over replicas, NetworkPolicies for managed backends,
 * ServiceMonitor/PodMonitor, Events for phase changes and failures, the per-instance readiness
 * gauge, pod template passthrough and the spec.agents wiring.
 */
class ExpectedOperatorFeaturesIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MockCluster cluster;

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> extra) throws Exception {
        cluster = MockCluster.withCrd();
        Map<String, String> env = new java.util.HashMap<>(Map.of("OPERATOR_SSA", "false", "POD_NAME", "operator-0"));
        env.putAll(extra);
        cluster.startOperator(env, registry);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            List<String> refused = cluster.refusedByRbac();
            cluster.close();
            assertThat(refused).as("requests the shipped RBAC refused (HPA, NetworkPolicy, monitors, Events, discovery)")
                    .isEmpty();
        }
    }

    @Test
    void underAnAutoscalerTheOperatorKeepsTheReplicasTheAutoscalerSet() throws Exception {
        start();
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));
        cluster.create(resource);

        HorizontalPodAutoscaler hpa = awaitPresent(HorizontalPodAutoscaler.class, "demo");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("demo");
        assertThat(hpa.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("AgentServer"));
        assertThat(awaitPresent(Deployment.class, "demo").getSpec().getReplicas()).as("created at the minimum").isEqualTo(2);
        awaitPresent(PodDisruptionBudget.class, "demo");

        // the autoscaler scales the Deployment (through its scale subresource) ...
        cluster.client().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("demo").edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        // ... and a spec change makes the operator rewrite the Deployment: the replicas stay the autoscaler's
        cluster.edit("demo", r -> {
            r.getSpec().setImage("ghcr.io/agent-server/agent-server:0.2.0");
            return r;
        });
        Deployment updated = await("new image applied", () -> cluster.get(Deployment.class, "demo"),
                d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().endsWith(":0.2.0"));
        assertThat(updated.getSpec().getReplicas()).isEqualTo(5);

        cluster.edit("demo", r -> {
            r.getSpec().getAutoscaling().setEnabled(false);
            r.getSpec().setReplicas(3);
            return r;
        });
        await("autoscaler removed", () -> cluster.get(HorizontalPodAutoscaler.class, "demo"), Objects::isNull);
        await("spec.replicas rules again", () -> cluster.get(Deployment.class, "demo"), d -> d.getSpec().getReplicas() == 3);
    }

    @Test
    void statusCarriesTheServerPodSelectorForTheScaleSubresource() throws Exception {
        start();
        cluster.create(Samples.managed("demo"));

        AgentServer resource = awaitPhase("demo", Phase.Progressing);
        Deployment server = awaitPresent(Deployment.class, "demo");
        String expected = server.getSpec().getSelector().getMatchLabels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(List.of(resource.getStatus().getSelector().split(",")).stream().sorted().toList())
                .isEqualTo(List.of(expected.split(",")));
    }

    @Test
    void managedBackendsGetNetworkPoliciesThatFollowTheSpec() throws Exception {
        start();
        cluster.create(Samples.managed("demo"));

        NetworkPolicy redis = awaitPresent(NetworkPolicy.class, "demo-redis");
        awaitPresent(NetworkPolicy.class, "demo-postgres");
        assertThat(redis.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/instance", "demo").containsEntry("app.kubernetes.io/component", "server");

        cluster.edit("demo", r -> {
            r.getSpec().setRedis(RedisSpec.external("redis://redis.infra:6379/0"));
            return r;
        });
        await("Redis policy removed with the managed Redis", () -> cluster.get(NetworkPolicy.class, "demo-redis"), Objects::isNull);

        cluster.edit("demo", r -> {
            NetworkPolicySpec off = new NetworkPolicySpec();
            off.setEnabled(false);
            r.getSpec().setNetworkPolicy(off);
            return r;
        });
        await("PostgreSQL policy removed when disabled", () -> cluster.get(NetworkPolicy.class, "demo-postgres"), Objects::isNull);
    }

    @Test
    void monitoringCreatesTheChosenMonitorAndSwitchesKinds() throws Exception {
        start();
        PrometheusOperatorCrds.install(cluster.client());
        AgentServer resource = Samples.managed("demo");
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        resource.getSpec().setMonitoring(monitoring);
        cluster.create(resource);

        GenericKubernetesResource serviceMonitor = await("ServiceMonitor", () -> monitor("ServiceMonitor"), Objects::nonNull);
        assertThat(serviceMonitor.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo("demo"));

        cluster.edit("demo", r -> {
            r.getSpec().getMonitoring().setKind(MonitorKind.PodMonitor);
            return r;
        });
        await("PodMonitor", () -> monitor("PodMonitor"), Objects::nonNull);
        await("ServiceMonitor removed", () -> monitor("ServiceMonitor"), Objects::isNull);
        awaitPhase("demo", Phase.Progressing);

        cluster.edit("demo", r -> {
            r.getSpec().getMonitoring().setEnabled(false);
            return r;
        });
        await("PodMonitor removed when monitoring is disabled", () -> monitor("PodMonitor"), Objects::isNull);
    }

    @Test
    void monitoringOnAClusterWithoutThePrometheusOperatorSaysWhatIsMissing() throws Exception {
        start();
        AgentServer resource = Samples.managed("demo");
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        resource.getSpec().setMonitoring(monitoring);
        cluster.create(resource);

        AgentServer degraded = awaitPhase("demo", Phase.Degraded);
        assertThat(degraded.getStatus().condition(ConditionType.RECONCILED).orElseThrow().getMessage())
                .contains("the cluster does not serve ServiceMonitor (monitoring.coreos.com/v1)");
        awaitPresent(Deployment.class, "demo");

        cluster.edit("demo", r -> {
            r.getSpec().getMonitoring().setEnabled(false);
            return r;
        });
        awaitPhase("demo", Phase.Progressing);
    }

    @Test
    void phaseChangesAndFailuresAreRecordedAsEventsOnTheAgentServer() throws Exception {
        start();
        AgentServer bad = Samples.minimal("demo");
        bad.getSpec().setDatabase(new io.agentserver.operator.api.DatabaseSpec());
        cluster.create(bad);

        Event failed = awaitEvent("demo", "InvalidSpec");
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getNote()).contains("spec.database: set managed: true, cloudNativePG, or else give a url");
        assertThat(failed.getRegarding().getUid()).isEqualTo(cluster.get("demo").getMetadata().getUid());
        assertThat(failed.getReportingInstance()).isEqualTo("operator-0");

        cluster.edit("demo", r -> {
            r.getSpec().getDatabase().setUrl("jdbc:postgresql://db.infra:5432/agentserver");
            return r;
        });
        assertThat(awaitEvent("demo", "Progressing").getNote()).startsWith("Phase Failed -> Progressing");
        awaitPresent(Deployment.class, "demo");
        cluster.markAvailable("demo");
        assertThat(awaitEvent("demo", "Ready").getType()).isEqualTo("Normal");
    }

    @Test
    void instanceReadinessGaugeFollowsThePhase() throws Exception {
        start();
        cluster.create(Samples.minimal("demo"));
        awaitPresent(Deployment.class, "demo");

        await("gauge 0 while progressing", () -> gauge("demo"), value -> value != null && value == 0.0);
        cluster.markAvailable("demo");
        await("gauge 1 once Ready", () -> gauge("demo"), value -> value != null && value == 1.0);
    }

    @Test
    void podTemplateExtrasReachTheDeploymentWhenTheOperatorAllowsUnrestrictedTemplates() throws Exception {
        start(Map.of("UNRESTRICTED_POD_TEMPLATES", "true"));
        AgentServer resource = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setServiceAccountName("agents");
        pod.setPriorityClassName("agents-high");
        pod.setImagePullSecrets(List.of(new LocalObjectReference("registry-auth")));
        resource.getSpec().setPodTemplate(pod);
        cluster.create(resource);

        var spec = awaitPresent(Deployment.class, "demo").getSpec().getTemplate().getSpec();
        assertThat(spec.getServiceAccountName()).isEqualTo("agents");
        assertThat(spec.getPriorityClassName()).isEqualTo("agents-high");
        assertThat(spec.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry-auth");
    }

    @Test
    void aRestrictedOperatorRefusesAChosenServiceAccountAndAppliesNothing() throws Exception {
        start();
        AgentServer resource = Samples.managed("demo");
        PodTemplateSettings pod = new PodTemplateSettings();
        pod.setServiceAccountName("agents");
        resource.getSpec().setPodTemplate(pod);
        cluster.create(resource);

        AgentServer failed = awaitPhase("demo", Phase.Failed);
        assertThat(failed.getStatus().condition(ConditionType.RECONCILED).orElseThrow().getMessage())
                .contains("spec.podTemplate.serviceAccountName");
        assertThat(cluster.get(Deployment.class, "demo")).isNull();
    }

    @Test
    void agentSecretsAreRequiredWiredByReferenceAndRollThePodsWhenChanged() throws Exception {
        start();
        cluster.create(AgentSamples.managedWithAgents("demo"));

        AgentServer degraded = awaitPhase("demo", Phase.Degraded);
        assertThat(degraded.getStatus().condition(ConditionType.RECONCILED).orElseThrow().getMessage())
                .contains("Secret \"llm-key\" (referenced by spec.agents.llm.apiKeySecretRef) does not exist")
                .contains("Secret \"forge-token\" (referenced by spec.agents.agentProtocol[forge].tokenSecretRef) does not exist");

        createSecret("llm-key", Map.of("api-key", "c2stMQ=="));
        createSecret("forge-token", Map.of("token", "dG9rZW4="));
        Deployment server = awaitPresent(Deployment.class, "demo");
        ConfigMap config = awaitPresent(ConfigMap.class, "demo-config");
        assertThat(config.getData()).containsEntry("LLM_MODEL", "llama3.1").containsEntry("AGENTS_FORGE_URL", "http://forge:8000")
                .containsEntry("AGENTS_DEFAULT", "llm").doesNotContainKeys("LLM_API_KEY", "AGENTS_FORGE_TOKEN");
        EnvVar apiKey = env(server, "LLM_API_KEY");
        assertThat(apiKey.getValue()).isNull();
        assertThat(apiKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("llm-key");
        String before = hash(server);
        for (String secret : List.of("llm-key", "forge-token")) {
            assertThat(cluster.get(Secret.class, secret).getMetadata().getLabels()).as(secret + " watched by label")
                    .containsEntry(ReferencedSecrets.WATCHED_LABEL, "true");
        }

        cluster.client().secrets().inNamespace(MockCluster.NAMESPACE).withName("llm-key")
                .edit(s -> new SecretBuilder(s).addToData("api-key", "c2stMg==").build());
        await("pods roll with the new API key", () -> hash(cluster.get(Deployment.class, "demo")), h -> !h.equals(before));
    }

    private GenericKubernetesResource monitor(String kind) {
        return cluster.client().genericKubernetesResources("monitoring.coreos.com/v1", kind)
                .inNamespace(MockCluster.NAMESPACE).withName("demo").get();
    }

    private Event awaitEvent(String name, String reason) {
        return await("event " + reason + " on " + name, () -> cluster.client().events().v1().events()
                        .inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                        .filter(e -> name.equals(e.getRegarding().getName()) && reason.equals(e.getReason()))
                        .findFirst().orElse(null),
                Objects::nonNull);
    }

    private Double gauge(String name) {
        var gauge = registry.find(InstanceMetrics.READY).tag(InstanceMetrics.NAMESPACE_TAG, MockCluster.NAMESPACE)
                .tag(InstanceMetrics.NAME_TAG, name).gauge();
        return gauge == null ? null : gauge.value();
    }

    private <T extends HasMetadata> T awaitPresent(Class<T> type, String name) {
        return await(type.getSimpleName() + " " + name, () -> cluster.get(type, name), Objects::nonNull);
    }

    private AgentServer awaitPhase(String name, Phase phase) {
        return await(name + " in phase " + phase, () -> cluster.get(name),
                r -> r.getStatus() != null && r.getStatus().getPhase() == phase);
    }

    private void createSecret(String name, Map<String, String> data) {
        cluster.client().resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(MockCluster.NAMESPACE).endMetadata().withData(data).build()).create();
    }

    private static EnvVar env(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String hash(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(ResourceNames.HASH_ANNOTATION);
    }
}
