package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.replicas) || self.replicas <= 1 || (has(self.redis) && has(self.database))",
        message = "more than one replica needs spec.redis and spec.database (managed or external):"
                + " replicas share events over Redis and state in PostgreSQL")
@ValidationRule(value = "!has(self.autoscaling) || !has(self.autoscaling.enabled) || !self.autoscaling.enabled"
        + " || !has(self.autoscaling.maxReplicas) || self.autoscaling.maxReplicas <= 1"
        + " || (has(self.redis) && has(self.database))",
        message = "autoscaling beyond one replica needs spec.redis and spec.database (managed or external)")
public class AgentServerSpec {

    public static final int DEFAULT_REPLICAS = 1;

    @Required
    @JsonPropertyDescription("Container image of the agent server, e.g. ghcr.io/agent-server/agent-server:0.1.0")
    private String image;

    @Default("IfNotPresent")
    @JsonPropertyDescription("Pull policy of every container the operator creates (server, Redis, PostgreSQL)")
    private ImagePullPolicy imagePullPolicy;

    @SpecReplicas
    @Default("1")
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Number of agent server pods; more than one needs redis and database")
    private Integer replicas;

    @JsonPropertyDescription("CPU and memory for each agent server container")
    private ResourceRequirements resources;

    @JsonPropertyDescription("How clients authenticate (JWT)")
    private AuthSpec auth;

    @JsonPropertyDescription("Redis event bus: managed by the operator, or an external url. Absent: in-process bus, one replica only")
    private RedisSpec redis;

    @JsonPropertyDescription("PostgreSQL: managed by the operator, run by CloudNativePG, or an external JDBC url."
            + " Absent: embedded H2, development only")
    private DatabaseSpec database;

    @JsonPropertyDescription("The Service in front of the agent server pods")
    private ServiceSpec service;

    @SchemaFrom(type = EnvVarSchema[].class)
    @JsonPropertyDescription("Extra environment variables for the agent server container, each name at most once;"
            + " an entry named like one the operator sets replaces it")
    private List<EnvVar> env;

    @JsonPropertyDescription("Service configuration keys (e.g. server.idle-connection-timeout), passed as environment variables through a ConfigMap")
    private Map<String, String> config;

    @JsonPropertyDescription("Labels, annotations, nodeSelector and tolerations for the agent server pods")
    private PodTemplateSettings podTemplate;

    @JsonPropertyDescription("A HorizontalPodAutoscaler for the agent server; while enabled, spec.replicas is ignored")
    private AutoscalingSpec autoscaling;

    @JsonPropertyDescription("A Prometheus Operator ServiceMonitor or PodMonitor for the agent server's /metrics")
    private MonitoringSpec monitoring;

    @JsonPropertyDescription("NetworkPolicies that let only the agent server pods reach the managed Redis and PostgreSQL")
    private NetworkPolicySpec networkPolicy;

    @JsonPropertyDescription("Real agents: the LLM agent (OpenAI-compatible Chat Completions) and Agent Protocol servers")
    private AgentsSpec agents;

    @JsonPropertyDescription("How a pod stops in a rollout: a preStop pause while endpoints stop routing to it, then the"
            + " drain; the grace period is derived from both")
    private ShutdownSpec shutdown;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ImagePullPolicy getImagePullPolicy() { return imagePullPolicy; }
    public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) { this.imagePullPolicy = imagePullPolicy; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public AuthSpec getAuth() { return auth; }
    public void setAuth(AuthSpec auth) { this.auth = auth; }
    public RedisSpec getRedis() { return redis; }
    public void setRedis(RedisSpec redis) { this.redis = redis; }
    public DatabaseSpec getDatabase() { return database; }
    public void setDatabase(DatabaseSpec database) { this.database = database; }
    public ServiceSpec getService() { return service; }
    public void setService(ServiceSpec service) { this.service = service; }
    public List<EnvVar> getEnv() { return env; }
    public void setEnv(List<EnvVar> env) { this.env = env; }
    public Map<String, String> getConfig() { return config; }
    public void setConfig(Map<String, String> config) { this.config = config; }
    public PodTemplateSettings getPodTemplate() { return podTemplate; }
    public void setPodTemplate(PodTemplateSettings podTemplate) { this.podTemplate = podTemplate; }

    public AutoscalingSpec getAutoscaling() { return autoscaling; }
    public void setAutoscaling(AutoscalingSpec autoscaling) { this.autoscaling = autoscaling; }
    public MonitoringSpec getMonitoring() { return monitoring; }
    public void setMonitoring(MonitoringSpec monitoring) { this.monitoring = monitoring; }
    public NetworkPolicySpec getNetworkPolicy() { return networkPolicy; }
    public void setNetworkPolicy(NetworkPolicySpec networkPolicy) { this.networkPolicy = networkPolicy; }
    public AgentsSpec getAgents() { return agents; }
    public void setAgents(AgentsSpec agents) { this.agents = agents; }
    public ShutdownSpec getShutdown() { return shutdown; }
    public void setShutdown(ShutdownSpec shutdown) { this.shutdown = shutdown; }

    /** The shutdown settings, defaults when absent. */
    public ShutdownSpec shutdownOrDefault() {
        return shutdown == null ? new ShutdownSpec() : shutdown;
    }

    /** True when a HorizontalPodAutoscaler owns the agent server's replica count. */
    public boolean autoscaled() {
        return autoscaling != null && autoscaling.enabledOrDefault();
    }

    /** True when the operator creates a ServiceMonitor or PodMonitor. */
    public boolean monitored() {
        return monitoring != null && monitoring.enabledOrDefault();
    }

    /** The NetworkPolicy settings, defaults (enabled) when absent. */
    public NetworkPolicySpec networkPolicyOrDefault() {
        return networkPolicy == null ? new NetworkPolicySpec() : networkPolicy;
    }

    /** The pull policy's name, IfNotPresent when absent. */
    public String imagePullPolicyOrDefault() {
        return (imagePullPolicy == null ? ImagePullPolicy.IfNotPresent : imagePullPolicy).name();
    }

    /** The replica count with its default applied. */
    public int replicasOrDefault() {
        return replicas == null ? DEFAULT_REPLICAS : replicas;
    }

    /** The auth settings, defaults when absent. */
    public AuthSpec authOrDefault() {
        return auth == null ? new AuthSpec() : auth;
    }

    /** The service settings, defaults when absent. */
    public ServiceSpec serviceOrDefault() {
        return service == null ? new ServiceSpec() : service;
    }

    /** The config passthrough, never null. */
    public Map<String, String> configOrEmpty() {
        return config == null ? Map.of() : new LinkedHashMap<>(config);
    }

    /** True when the operator runs Redis for this instance. */
    public boolean managedRedis() {
        return redis != null && redis.managedOrDefault();
    }

    /** True when the operator runs PostgreSQL for this instance (its own StatefulSet). */
    public boolean managedDatabase() {
        return database != null && database.managedOrDefault() && database.getCloudNativePG() == null;
    }

    /** True when CloudNativePG runs PostgreSQL for this instance. */
    public boolean cloudNativePg() {
        return database != null && database.getCloudNativePG() != null;
    }
}
