package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Base backups and WAL archiving of a CloudNativePG Cluster to an S3-compatible object store (Barman Cloud). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class CloudNativePgBackupSpec {

    public static final String DEFAULT_SCHEDULE = "0 0 3 * * *";
    public static final String DEFAULT_RETENTION = "30d";

    @Required
    @Pattern("^s3://.+")
    @JsonPropertyDescription("Where backups go, e.g. s3://backups/agent-server")
    private String destinationPath;

    @JsonPropertyDescription("Endpoint of an S3-compatible store other than AWS, e.g. https://minio.infra:9000")
    private String endpointURL;

    @Required
    @JsonPropertyDescription("Secret key holding the access key id")
    private SecretKeyRef accessKeyIdSecretRef;

    @Required
    @JsonPropertyDescription("Secret key holding the secret access key")
    private SecretKeyRef secretAccessKeySecretRef;

    @Default(DEFAULT_SCHEDULE)
    @Pattern("^\\S+( \\S+){5}$")
    @JsonPropertyDescription("When a base backup is taken: a cron schedule with seconds (six fields), e.g. '0 0 3 * * *'")
    private String schedule;

    @Default(DEFAULT_RETENTION)
    @Pattern("^[1-9][0-9]*[dwm]$")
    @JsonPropertyDescription("How long backups are kept, e.g. 30d, 8w, 6m")
    private String retentionPolicy;

    public String getDestinationPath() { return destinationPath; }
    public void setDestinationPath(String destinationPath) { this.destinationPath = destinationPath; }
    public String getEndpointURL() { return endpointURL; }
    public void setEndpointURL(String endpointURL) { this.endpointURL = endpointURL; }
    public SecretKeyRef getAccessKeyIdSecretRef() { return accessKeyIdSecretRef; }
    public void setAccessKeyIdSecretRef(SecretKeyRef ref) { this.accessKeyIdSecretRef = ref; }
    public SecretKeyRef getSecretAccessKeySecretRef() { return secretAccessKeySecretRef; }
    public void setSecretAccessKeySecretRef(SecretKeyRef ref) { this.secretAccessKeySecretRef = ref; }
    public String getSchedule() { return schedule; }
    public void setSchedule(String schedule) { this.schedule = schedule; }
    public String getRetentionPolicy() { return retentionPolicy; }
    public void setRetentionPolicy(String retentionPolicy) { this.retentionPolicy = retentionPolicy; }

    public String scheduleOrDefault() { return schedule == null ? DEFAULT_SCHEDULE : schedule; }
    public String retentionPolicyOrDefault() { return retentionPolicy == null ? DEFAULT_RETENTION : retentionPolicy; }
}
