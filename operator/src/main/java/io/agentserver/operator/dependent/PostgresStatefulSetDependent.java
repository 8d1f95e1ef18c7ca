package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * {@code <name>-postgres}: one PostgreSQL pod with a volume of {@code spec.database.storage}.
 * Its volume claim is kept when the StatefulSet goes (switch to external): data is never deleted
 * by the operator.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.POSTGRES_SELECTOR))
public class PostgresStatefulSetDependent extends OwnedDependent<StatefulSet> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStatefulSetDependent.class);
    private static final long USER = 70;
    private static final String READY_COMMAND = "pg_isready -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\" -h 127.0.0.1";

    public PostgresStatefulSetDependent() {
        super(StatefulSet.class, Component.POSTGRES);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.postgres(owner);
    }

    @Override
    protected StatefulSet desired(AgentServer owner, Context<AgentServer> context) {
        StatefulSet desired = desired(owner);
        getSecondaryResource(owner, context).ifPresent(actual -> keepClaimTemplates(owner, actual, desired));
        return desired;
    }

    /**
     * The API server refuses any change to a StatefulSet's claim templates (422), and a refused
     * update would block every later change. The CRD makes storage immutable; objects from before
     * that rule, or API servers without CEL, get the existing claim templates kept.
     */
    private static void keepClaimTemplates(AgentServer owner, StatefulSet actual, StatefulSet desired) {
        var kept = actual.getSpec().getVolumeClaimTemplates();
        var wanted = desired.getSpec().getVolumeClaimTemplates();
        if (!claimSpecsMatch(kept, wanted)) {
            LOG.warn("namespace={} name={} storage change not applied: a StatefulSet's volume claim cannot change;"
                    + " expand the PersistentVolumeClaim data-{}-0 directly", owner.getMetadata().getNamespace(),
                    owner.getMetadata().getName(), ResourceNames.postgres(owner));
        }
        desired.getSpec().setVolumeClaimTemplates(kept);
    }

    private static boolean claimSpecsMatch(List<PersistentVolumeClaim> kept, List<PersistentVolumeClaim> wanted) {
        if (kept.size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < kept.size(); i++) {
            var a = kept.get(i).getSpec();
            var b = wanted.get(i).getSpec();
            if (!Objects.equals(a.getStorageClassName(), b.getStorageClassName())
                    || a.getResources().getRequests().get("storage").getNumericalAmount()
                            .compareTo(b.getResources().getRequests().get("storage").getNumericalAmount()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The StatefulSet as the spec alone describes it. */
    StatefulSet desired(AgentServer owner) {
        DatabaseSpec database = owner.getSpec().getDatabase() == null ? DatabaseSpec.managed() : owner.getSpec().getDatabase();
        String secret = ResourceNames.postgres(owner);
        return new StatefulSetBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withReplicas(1)
                    .withServiceName(ResourceNames.postgres(owner))
                    .withNewSelector().withMatchLabels(Labels.selector(owner, Component.POSTGRES)).endSelector()
                    .withNewPersistentVolumeClaimRetentionPolicy()
                        .withWhenDeleted("Retain").withWhenScaled("Retain")
                    .endPersistentVolumeClaimRetentionPolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Labels.of(owner, Component.POSTGRES)).endMetadata()
                        .withNewSpec()
                            .withSecurityContext(PodSecurity.nonRoot(USER))
                            .addNewContainer()
                                .withName("postgres")
                                .withImage(database.imageOrDefault())
                                .withImagePullPolicy("IfNotPresent")
                                .withEnv(fromSecret("POSTGRES_USER", secret, "username"),
                                        fromSecret("POSTGRES_PASSWORD", secret, "password"),
                                        fromSecret("POSTGRES_DB", secret, "database"),
                                        new EnvVarBuilder().withName("PGDATA").withValue("/var/lib/postgresql/data/pgdata").build())
                                .addNewPort().withName("postgres").withContainerPort(ResourceNames.POSTGRES_PORT).withProtocol("TCP").endPort()
                                .withResources(database.getResources())
                                .withLivenessProbe(probe(10, 6))
                                .withReadinessProbe(probe(5, 3))
                                .withSecurityContext(PodSecurity.restrictedContainer(false))
                                .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql/data").endVolumeMount()
                                .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                    .addNewVolumeClaimTemplate()
                        .withNewMetadata().withName("data").withLabels(Labels.of(owner, Component.POSTGRES)).endMetadata()
                        .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withStorageClassName(database.getStorageClassName())
                            .withNewResources().addToRequests("storage", new Quantity(database.storageOrDefault())).endResources()
                        .endSpec()
                    .endVolumeClaimTemplate()
                .endSpec()
                .build();
    }

    private static Probe probe(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec().withCommand("sh", "-c", READY_COMMAND).endExec()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
