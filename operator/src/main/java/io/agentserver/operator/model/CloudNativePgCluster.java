package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.CloudNativePgBackupSpec;
import io.agentserver.operator.api.CloudNativePgSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudNativePG objects of an AgentServer ({@code postgresql.cnpg.io/v1}), built as generic objects so
 * that the operator needs no CloudNativePG classes: a {@code Cluster} whose bootstrap creates the
 * {@value ResourceNames#POSTGRES_DATABASE} database owned by the {@value ResourceNames#POSTGRES_USER} role
 * (CloudNativePG writes its credentials to {@code <cluster>-app}), and a {@code ScheduledBackup} when backups
 * are asked for.
 */
public final class CloudNativePgCluster {

    public static final String GROUP = "postgresql.cnpg.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CLUSTER = "Cluster";
    public static final String SCHEDULED_BACKUP = "ScheduledBackup";

    private CloudNativePgCluster() {
    }

    public static GenericKubernetesResource cluster(AgentServer owner, ObjectMeta metadata) {
        CloudNativePgSpec pg = owner.getSpec().getDatabase().getCloudNativePG();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("instances", pg.instancesOrDefault());
        if (pg.getImageName() != null) {
            spec.put("imageName", pg.getImageName());
        }
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("size", pg.storageOrDefault());
        if (pg.getStorageClassName() != null) {
            storage.put("storageClass", pg.getStorageClassName());
        }
        spec.put("storage", storage);
        spec.put("bootstrap", Map.of("initdb", Map.of("database", ResourceNames.POSTGRES_DATABASE,
                "owner", ResourceNames.POSTGRES_USER)));
        if (pg.getBackup() != null) {
            spec.put("backup", backup(pg.getBackup()));
        }
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(CLUSTER).withMetadata(metadata)
                .withAdditionalProperties(Map.of("spec", spec)).build();
    }

    /** A daily (or as scheduled) base backup of the Cluster; the backups belong to the ScheduledBackup. */
    public static GenericKubernetesResource scheduledBackup(AgentServer owner, ObjectMeta metadata) {
        CloudNativePgBackupSpec backup = owner.getSpec().getDatabase().getCloudNativePG().getBackup();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", backup.scheduleOrDefault());
        spec.put("cluster", Map.of("name", ResourceNames.cloudNativePg(owner)));
        spec.put("backupOwnerReference", "self");
        spec.put("method", "barmanObjectStore");
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(SCHEDULED_BACKUP)
                .withMetadata(metadata).withAdditionalProperties(Map.of("spec", spec)).build();
    }

    private static Map<String, Object> backup(CloudNativePgBackupSpec backup) {
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("destinationPath", backup.getDestinationPath());
        if (backup.getEndpointURL() != null) {
            store.put("endpointURL", backup.getEndpointURL());
        }
        store.put("s3Credentials", Map.of(
                "accessKeyId", Map.of("name", backup.getAccessKeyIdSecretRef().getName(),
                        "key", backup.getAccessKeyIdSecretRef().getKey()),
                "secretAccessKey", Map.of("name", backup.getSecretAccessKeySecretRef().getName(),
                        "key", backup.getSecretAccessKeySecretRef().getKey())));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("barmanObjectStore", store);
        result.put("retentionPolicy", backup.retentionPolicyOrDefault());
        return result;
    }
}
