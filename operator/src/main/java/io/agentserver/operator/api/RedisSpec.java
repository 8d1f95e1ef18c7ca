package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Redis: managed by the operator, or external (one server by url, or a Redis Cluster by its seed nodes). */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(has(self.managed) && self.managed) || has(self.url) || has(self.cluster)",
        message = "redis: set managed: true, or else give a url or a cluster")
@ValidationRule(value = "!(has(self.managed) && self.managed && has(self.url))",
        message = "redis: a managed Redis takes no url")
@ValidationRule(value = "!has(self.cluster) || !((has(self.managed) && self.managed) || has(self.url))",
        message = "redis: a Redis Cluster (cluster.nodes) goes without managed and without url")
public class RedisSpec {

    public static final String DEFAULT_IMAGE = "redis:7.4-alpine";
    public static final String DEFAULT_AUTOGPT_BUS = "classic";

    @Default("false")
    @JsonPropertyDescription("Run a Redis for this instance (one pod, no persistence: it only carries live events)")
    private Boolean managed;

    @Pattern("^rediss?://.+")
    @JsonPropertyDescription("External Redis url without credentials, e.g. redis://redis.infra:6379/0 or rediss://cache:6380/2")
    private String url;

    @JsonPropertyDescription("Secret key holding the external Redis password (any characters: it is not put into the url)")
    private SecretKeyRef passwordSecretRef;

    @JsonPropertyDescription("ACL user name of the external Redis; absent: the default user")
    private String username;

    @JsonPropertyDescription("An external Redis Cluster by its seed nodes (REDIS_MODE=cluster); the password, if any, is"
            + " passwordSecretRef")
    private RedisClusterSpec cluster;

    @Default(DEFAULT_AUTOGPT_BUS)
    @Pattern("^(classic|sharded)$")
    @JsonPropertyDescription("AUTOGPT_BUS: how AutoGPT executors publish their events, classic (PUBLISH/PSUBSCRIBE) or"
            + " sharded (SPUBLISH/SSUBSCRIBE, for a Redis Cluster)")
    private String autogptBus;

    @JsonPropertyDescription("Image of the managed Redis")
    private String image;

    @JsonPropertyDescription("CPU and memory of the managed Redis")
    private ResourceRequirements resources;

    public static RedisSpec managed() {
        RedisSpec spec = new RedisSpec();
        spec.setManaged(true);
        return spec;
    }

    public static RedisSpec external(String url) {
        RedisSpec spec = new RedisSpec();
        spec.setManaged(false);
        spec.setUrl(url);
        return spec;
    }

    public Boolean getManaged() { return managed; }
    public void setManaged(Boolean managed) { this.managed = managed; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public SecretKeyRef getPasswordSecretRef() { return passwordSecretRef; }
    public void setPasswordSecretRef(SecretKeyRef passwordSecretRef) { this.passwordSecretRef = passwordSecretRef; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }

    public RedisClusterSpec getCluster() { return cluster; }
    public void setCluster(RedisClusterSpec cluster) { this.cluster = cluster; }
    public String getAutogptBus() { return autogptBus; }
    public void setAutogptBus(String autogptBus) { this.autogptBus = autogptBus; }

    public boolean managedOrDefault() { return managed != null && managed; }
    public String autogptBusOrDefault() { return autogptBus == null ? DEFAULT_AUTOGPT_BUS : autogptBus; }
    public String imageOrDefault() { return image == null ? DEFAULT_IMAGE : image; }
}
