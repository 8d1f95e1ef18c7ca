package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.support.CloudNativePgCrds;
import io.agentserver.operator.support.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/samples/cloudnativepg.yaml on the mock API server under the shipped RBAC: refused with a clear
 * condition while CloudNativePG's CRDs are missing, noticed without a restart once they appear, then a
 * Cluster and a ScheduledBackup owned by the AgentServer, the server wired to the {@code -app} Secret, and
 * Ready once the Cluster reports Ready (the test plays CloudNativePG and the Deployment controller).
 */
class CloudNativePgIT {

    private static final ResourceDefinitionContext CLUSTERS = context("Cluster", "clusters");
    private static final ResourceDefinitionContext BACKUPS = context("ScheduledBackup", "scheduledbackups");

    private MockCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            var refused = cluster.refusedByRbac();
            cluster.close();
            assertThat(refused).as("requests the shipped RBAC refused").isEmpty();
        }
    }

    @Test
    void theSampleIsRefusedClearlyWithoutCloudNativePgThenReconciledToReadyOnceItIsInstalled() throws Exception {
        cluster = MockCluster.withCrd();
        cluster.startOperator(Map.of("OPERATOR_SSA", "false", "POD_NAME", "operator-0"), new SimpleMeterRegistry());
        AgentServer sample = new KubernetesSerialization().unmarshal(
                Files.readString(Path.of("../k8s/samples/cloudnativepg.yaml")), AgentServer.class);
        sample.getMetadata().setNamespace(MockCluster.NAMESPACE);
        cluster.create(sample);

        AgentServer missing = await("DatabaseReady without CloudNativePG", () -> cluster.get("chat"),
                r -> r.getStatus() != null && r.getStatus().condition("DatabaseReady")
                        .filter(c -> "CloudNativePGNotInstalled".equals(c.getReason())).isPresent());
        assertThat(missing.getStatus().getPhase()).isEqualTo(Phase.Degraded);
        assertThat(missing.getStatus().condition("DatabaseReady").orElseThrow().getMessage())
                .contains("install CloudNativePG");

        CloudNativePgCrds.install(cluster.client());

        GenericKubernetesResource pg = await("the Cluster", () -> cluster.client().genericKubernetesResources(CLUSTERS)
                .inNamespace(MockCluster.NAMESPACE).withName("chat-pg").get(), Objects::nonNull);
        Map<String, Object> spec = map(pg.getAdditionalProperties().get("spec"));
        assertThat(spec).containsEntry("instances", 3);
        assertThat(map(spec.get("storage"))).containsEntry("size", "20Gi");
        assertThat(map(map(spec.get("bootstrap")).get("initdb"))).containsEntry("database", "agentserver")
                .containsEntry("owner", "agentserver");
        Map<String, Object> store = map(map(spec.get("backup")).get("barmanObjectStore"));
        assertThat(store).containsEntry("destinationPath", "s3://backups/agent-server/chat");
        assertThat(map(map(store.get("s3Credentials")).get("accessKeyId"))).containsEntry("name", "backup-s3");
        assertThat(pg.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo("chat"));
        GenericKubernetesResource backup = await("the ScheduledBackup", () -> cluster.client().genericKubernetesResources(BACKUPS)
                .inNamespace(MockCluster.NAMESPACE).withName("chat-pg-backup").get(), Objects::nonNull);
        assertThat(map(backup.getAdditionalProperties().get("spec"))).containsEntry("schedule", "0 0 3 * * *")
                .containsEntry("cluster", Map.of("name", "chat-pg"));
        assertThat(backup.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo("chat"));

        Deployment server = await("server Deployment", () -> cluster.get(Deployment.class, "chat"), Objects::nonNull);
        List<EnvVar> env = server.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).filteredOn(e -> e.getName().startsWith("DB_CONNECTION_")).extracting(
                e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .containsExactly("DB_CONNECTION_USERNAME=chat-pg-app/username", "DB_CONNECTION_PASSWORD=chat-pg-app/password");
        assertThat(cluster.get(ConfigMap.class, "chat-config").getData())
                .containsEntry("DB_CONNECTION_URL", "jdbc:postgresql://chat-pg-rw:5432/agentserver");

        AgentServer pending = await("DatabaseReady waits for the Cluster", () -> cluster.get("chat"),
                r -> r.getStatus().condition("DatabaseReady").filter(c -> "False".equals(c.getStatus())
                        && !"CloudNativePGNotInstalled".equals(c.getReason())).isPresent());
        assertThat(pending.getStatus().getPhase()).isNotEqualTo(Phase.Ready);

        playCloudNativePg();
        cluster.markAvailable("chat-redis");
        cluster.markAvailable("chat");

        AgentServer ready = await("Ready", () -> cluster.get("chat"),
                r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Ready);
        assertThat(ready.getStatus().condition("DatabaseReady").orElseThrow().getMessage())
                .contains("3 of 3 instances ready", "chat-pg-1");
    }

    @Test
    void switchingToAnotherDatabaseDeletesTheClusterAndItsBackup() throws Exception {
        cluster = MockCluster.withCrd();
        CloudNativePgCrds.install(cluster.client());
        cluster.startOperator(Map.of("OPERATOR_SSA", "false", "POD_NAME", "operator-0"), new SimpleMeterRegistry());
        AgentServer sample = new KubernetesSerialization().unmarshal(
                Files.readString(Path.of("../k8s/samples/cloudnativepg.yaml")), AgentServer.class);
        sample.getMetadata().setNamespace(MockCluster.NAMESPACE);
        cluster.create(sample);
        await("the ScheduledBackup", () -> cluster.client().genericKubernetesResources(BACKUPS)
                .inNamespace(MockCluster.NAMESPACE).withName("chat-pg-backup").get(), Objects::nonNull);

        cluster.edit("chat", r -> {
            r.getSpec().getDatabase().getCloudNativePG().setBackup(null);
            return r;
        });
        await("the ScheduledBackup gone", () -> cluster.client().genericKubernetesResources(BACKUPS)
                .inNamespace(MockCluster.NAMESPACE).withName("chat-pg-backup").get(), Objects::isNull);

        cluster.edit("chat", r -> {
            r.getSpec().setDatabase(io.agentserver.operator.api.DatabaseSpec.managed());
            return r;
        });
        await("the Cluster gone", () -> cluster.client().genericKubernetesResources(CLUSTERS)
                .inNamespace(MockCluster.NAMESPACE).withName("chat-pg").get(), Objects::isNull);
        await("the built-in StatefulSet instead", () -> cluster.get(io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                "chat-postgres"), Objects::nonNull);
    }

    /** Plays CloudNativePG: the app Secret written, every instance ready, the Cluster Ready. */
    private void playCloudNativePg() {
        cluster.client().resource(new SecretBuilder().withNewMetadata().withName("chat-pg-app")
                .withNamespace(MockCluster.NAMESPACE).endMetadata()
                .addToStringData("username", "agentserver").addToStringData("password", "generated").build()).create();
        cluster.client().genericKubernetesResources(CLUSTERS).inNamespace(MockCluster.NAMESPACE).withName("chat-pg")
                .editStatus(c -> {
                    c.setAdditionalProperty("status", Map.of("instances", 3, "readyInstances", 3,
                            "phase", "Cluster in healthy state", "currentPrimary", "chat-pg-1",
                            "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "ClusterIsReady"))));
                    return c;
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("postgresql.cnpg.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
