package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ConfigHash;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.PostgresDataPreparation;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code <name>-postgres}: one PostgreSQL pod with a volume of {@code spec.database.storage}.
 * Its volume claim is kept when the StatefulSet goes (switch to external, or the AgentServer is
 * deleted): data is never deleted by the operator. An init container sets the role's password
 * from the Secret on an existing data directory and refuses another major version; a startup
 * probe gives crash recovery time before liveness counts.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.POSTGRES_SELECTOR))
public class PostgresStatefulSetDependent extends OwnedDependent<StatefulSet> {

    /** Workflow context key of the message when a storage change could not be applied. */
    public static final String STORAGE_NOT_APPLIED = "postgres-storage-not-applied";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStatefulSetDependent.class);
    private static final long USER = 70;
    private static final String DATA_MOUNT = "/var/lib/postgresql/data";
    private static final String PGDATA = DATA_MOUNT + "/pgdata";
    /** Shared memory for parallel queries; the container runtime's default /dev/shm is 64 MiB. */
    private static final String SHM_SIZE = "256Mi";
    /** 30 minutes of crash recovery before the liveness probe takes over. */
    private static final int STARTUP_FAILURES = 180;
    public static final String DEFAULT_CPU_REQUEST = "100m";
    public static final String DEFAULT_MEMORY_REQUEST = "256Mi";
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
        String passwordHash = context.getSecondaryResource(Secret.class, PostgresSecretDependent.CREDENTIALS_DEPENDENT)
                .map(credentials -> ConfigHash.of(Map.of(), List.of(onlyKey(credentials, ResourceNames.POSTGRES_PASSWORD_KEY))))
                .orElse("");
        StatefulSet desired = desired(owner, podSecurity(context), passwordHash);
        getSecondaryResource(owner, context).ifPresent(actual -> {
            if (!keepClaimTemplates(owner, actual, desired)) {
                context.managedWorkflowAndDependentResourceContext().put(STORAGE_NOT_APPLIED, "spec.database.storage"
                        + " and storageClassName cannot change once the StatefulSet exists; expand the"
                        + " PersistentVolumeClaim data-" + ResourceNames.postgres(owner) + "-0 directly and set the spec back");
            }
        });
        return desired;
    }

    /**
     * The API server refuses any change to a StatefulSet's claim templates (422), and a refused
     * update would block every later change. The CRD makes storage immutable; objects from before
     * that rule, or API servers without CEL, keep the size and class the StatefulSet was created
     * with. Taking the size as stored also keeps a non-canonical quantity (1024Mi, stored as 1Gi)
     * from looking like a change on every reconcile.
     *
     * @return false when the spec asks for another size or class than the StatefulSet has
     */
    private static boolean keepClaimTemplates(AgentServer owner, StatefulSet actual, StatefulSet desired) {
        List<PersistentVolumeClaim> kept = actual.getSpec().getVolumeClaimTemplates();
        List<PersistentVolumeClaim> wanted = desired.getSpec().getVolumeClaimTemplates();
        if (kept.size() != wanted.size()) {
            desired.getSpec().setVolumeClaimTemplates(kept);
            return false;
        }
        boolean unchanged = true;
        for (int i = 0; i < kept.size(); i++) {
            var existing = kept.get(i).getSpec();
            var claim = wanted.get(i).getSpec();
            Quantity existingSize = existing.getResources().getRequests().get("storage");
            Quantity wantedSize = claim.getResources().getRequests().get("storage");
            if (!Objects.equals(existing.getStorageClassName(), claim.getStorageClassName())
                    || existingSize.getNumericalAmount().compareTo(wantedSize.getNumericalAmount()) != 0) {
                LOG.warn("namespace={} name={} storage change not applied: a StatefulSet's volume claim cannot change;"
                        + " expand the PersistentVolumeClaim data-{}-0 directly", owner.getMetadata().getNamespace(),
                        owner.getMetadata().getName(), ResourceNames.postgres(owner));
                unchanged = false;
            }
            claim.setStorageClassName(existing.getStorageClassName());
            claim.getResources().getRequests().put("storage", existingSize);
        }
        return unchanged;
    }

    /**
     * The StatefulSet as the spec describes it.
     *
     * @param passwordHash hash of the generated password: a new password restarts the pod, whose init
     *                     container then sets it on the role
     */
    StatefulSet desired(AgentServer owner, PodSecurity security, String passwordHash) {
        DatabaseSpec database = owner.getSpec().getDatabase() == null ? DatabaseSpec.managed() : owner.getSpec().getDatabase();
        String secret = ResourceNames.postgres(owner);
        String pullPolicy = owner.getSpec().imagePullPolicyOrDefault();
        List<EnvVar> env = List.of(fromSecret("POSTGRES_USER", secret, "username"),
                fromSecret("POSTGRES_PASSWORD", secret, "password"),
                fromSecret("POSTGRES_DB", secret, "database"),
                new EnvVarBuilder().withName("PGDATA").withValue(PGDATA).build());
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
                        .withNewMetadata()
                            .withLabels(Labels.of(owner, Component.POSTGRES))
                            .withAnnotations(Map.of(ResourceNames.HASH_ANNOTATION, passwordHash))
                        .endMetadata()
                        .withNewSpec()
                            .withSecurityContext(security.rootImageAs(USER))
                            .withEnableServiceLinks(false)
                            .addNewInitContainer()
                                .withName("prepare-data")
                                .withImage(database.imageOrDefault())
                                .withImagePullPolicy(pullPolicy)
                                .withCommand("sh", "-c", PostgresDataPreparation.SCRIPT)
                                .withEnv(env)
                                .withResources(resourcesOrDefault(database.getResources()))
                                .withSecurityContext(PodSecurity.restrictedContainer(false))
                                .addNewVolumeMount().withName("data").withMountPath(DATA_MOUNT).endVolumeMount()
                                .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
                            .endInitContainer()
                            .addNewContainer()
                                .withName("postgres")
                                .withImage(database.imageOrDefault())
                                .withImagePullPolicy(pullPolicy)
                                .withEnv(env)
                                .addNewPort().withName("postgres").withContainerPort(ResourceNames.POSTGRES_PORT).withProtocol("TCP").endPort()
                                .withResources(resourcesOrDefault(database.getResources()))
                                .withStartupProbe(probe(10, STARTUP_FAILURES))
                                .withLivenessProbe(probe(10, 6))
                                .withReadinessProbe(probe(5, 3))
                                .withSecurityContext(PodSecurity.restrictedContainer(false))
                                .addNewVolumeMount().withName("data").withMountPath(DATA_MOUNT).endVolumeMount()
                                .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
                                .addNewVolumeMount().withName("shm").withMountPath("/dev/shm").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
                            .addNewVolume().withName("shm").withNewEmptyDir().withMedium("Memory")
                                .withSizeLimit(new Quantity(SHM_SIZE)).endEmptyDir().endVolume()
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

    /** The user's resources, or requests that let the scheduler place PostgreSQL sensibly. */
    private static ResourceRequirements resourcesOrDefault(ResourceRequirements resources) {
        return resources != null ? resources : new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(DEFAULT_CPU_REQUEST))
                .addToRequests("memory", new Quantity(DEFAULT_MEMORY_REQUEST))
                .build();
    }

    private static Secret onlyKey(Secret secret, String key) {
        return new SecretBuilder().withNewMetadata().withName(secret.getMetadata().getName()).endMetadata()
                .withData(Map.of(key, secret.getData().getOrDefault(key, ""))).build();
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
