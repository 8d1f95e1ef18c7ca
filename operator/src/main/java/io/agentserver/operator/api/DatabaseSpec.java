package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * PostgreSQL: managed by the operator (one StatefulSet pod with a volume), run by CloudNativePG (a Cluster
 * that fails over and backs up), or external.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(has(self.managed) && self.managed) || has(self.url) || has(self.cloudNativePG)",
        message = "database: set managed: true, cloudNativePG, or else give a url")
@ValidationRule(value = "!has(self.cloudNativePG) || !((has(self.managed) && self.managed) || has(self.url)"
        + " || has(self.credentialsSecretRef))",
        message = "database: cloudNativePG takes no managed, url or credentialsSecretRef")
@ValidationRule(value = "!(has(self.managed) && self.managed && (has(self.url) || has(self.credentialsSecretRef)))",
        message = "database: a managed PostgreSQL takes no url and no credentialsSecretRef")
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName)"
        + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "database.storageClassName is immutable: a StatefulSet's volume claim cannot change")
public class DatabaseSpec {

    public static final String DEFAULT_IMAGE = "postgres:16-alpine";
    public static final String DEFAULT_STORAGE = "1Gi";

    @Default("false")
    @JsonPropertyDescription("Run a PostgreSQL StatefulSet for this instance")
    private Boolean managed;

    @Default(DEFAULT_STORAGE)
    @ValidationRule(value = "self == oldSelf",
            message = "database.storage is immutable: a StatefulSet's volume claim cannot change; expand the claim directly")
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
    @JsonPropertyDescription("Size of the managed PostgreSQL volume (set at creation; a StatefulSet cannot change it later)")
    private String storage;

    @JsonPropertyDescription("Storage class of the managed PostgreSQL volume; the cluster default when absent")
    private String storageClassName;

    @JsonPropertyDescription("Image of the managed PostgreSQL")
    private String image;

    @JsonPropertyDescription("CPU and memory of the managed PostgreSQL")
    private ResourceRequirements resources;

    @Pattern("^jdbc:postgresql://.+")
    @JsonPropertyDescription("External JDBC url, e.g. jdbc:postgresql://db.infra:5432/agentserver")
    private String url;

    @JsonPropertyDescription("Secret with the external database's user name and password")
    private CredentialsSecretRef credentialsSecretRef;

    @JsonPropertyDescription("Run PostgreSQL through CloudNativePG (must be installed): a Cluster with failover and"
            + " optional backups, owned by this AgentServer")
    @com.fasterxml.jackson.annotation.JsonProperty("cloudNativePG")
    private CloudNativePgSpec cloudNativePG;

    public static DatabaseSpec managed() {
        DatabaseSpec spec = new DatabaseSpec();
        spec.setManaged(true);
        return spec;
    }

    public static DatabaseSpec external(String url) {
        DatabaseSpec spec = new DatabaseSpec();
        spec.setManaged(false);
        spec.setUrl(url);
        return spec;
    }

    public Boolean getManaged() { return managed; }
    public void setManaged(Boolean managed) { this.managed = managed; }
    public String getStorage() { return storage; }
    public void setStorage(String storage) { this.storage = storage; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public CredentialsSecretRef getCredentialsSecretRef() { return credentialsSecretRef; }
    public void setCredentialsSecretRef(CredentialsSecretRef credentialsSecretRef) { this.credentialsSecretRef = credentialsSecretRef; }

    public CloudNativePgSpec getCloudNativePG() { return cloudNativePG; }
    public void setCloudNativePG(CloudNativePgSpec cloudNativePG) { this.cloudNativePG = cloudNativePG; }

    public boolean managedOrDefault() { return managed != null && managed; }
    public String imageOrDefault() { return image == null ? DEFAULT_IMAGE : image; }
    public String storageOrDefault() { return storage == null ? DEFAULT_STORAGE : storage; }
}
