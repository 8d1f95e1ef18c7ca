package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * PostgreSQL run by CloudNativePG: a {@code Cluster} of {@code instances} (one primary, the rest streaming
 * replicas that take over when the primary's node goes), optionally backed up to an object store on a
 * schedule. CloudNativePG (its CRDs and its operator) must be installed in the cluster.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class CloudNativePgSpec {

    public static final int DEFAULT_INSTANCES = 3;
    public static final String DEFAULT_SIZE = "10Gi";

    @Default("3")
    @Min(1)
    @Max(9)
    @JsonPropertyDescription("PostgreSQL instances: one primary, the others replicas it fails over to; 3 survive a node")
    private Integer instances;

    @Default(DEFAULT_SIZE)
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
    @JsonPropertyDescription("Volume size of each instance; CloudNativePG expands the volumes when it grows and the"
            + " storage class allows it")
    private String storage;

    @JsonPropertyDescription("Storage class of the instances' volumes; the cluster default when absent")
    private String storageClassName;

    @JsonPropertyDescription("PostgreSQL image (a CloudNativePG operand image); CloudNativePG's default when absent")
    private String imageName;

    @JsonPropertyDescription("Backups to an S3-compatible object store on a schedule (a ScheduledBackup); none when absent")
    private CloudNativePgBackupSpec backup;

    public Integer getInstances() { return instances; }
    public void setInstances(Integer instances) { this.instances = instances; }
    public String getStorage() { return storage; }
    public void setStorage(String storage) { this.storage = storage; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public String getImageName() { return imageName; }
    public void setImageName(String imageName) { this.imageName = imageName; }
    public CloudNativePgBackupSpec getBackup() { return backup; }
    public void setBackup(CloudNativePgBackupSpec backup) { this.backup = backup; }

    public int instancesOrDefault() { return instances == null ? DEFAULT_INSTANCES : instances; }
    public String storageOrDefault() { return storage == null ? DEFAULT_SIZE : storage; }
}
