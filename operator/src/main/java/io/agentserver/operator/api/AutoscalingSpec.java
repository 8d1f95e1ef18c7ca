package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A HorizontalPodAutoscaler for the agent server Deployment. While it is enabled the operator
 * leaves the Deployment's replica count to the autoscaler and ignores {@code spec.replicas}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
        message = "autoscaling: minReplicas must not exceed maxReplicas")
@ValidationRule(value = "!has(self.enabled) || !self.enabled || has(self.maxReplicas)",
        message = "autoscaling: enabled needs maxReplicas")
public class AutoscalingSpec {

    public static final int DEFAULT_MIN_REPLICAS = 1;
    public static final int DEFAULT_CPU_UTILIZATION = 70;

    @Default("false")
    @JsonPropertyDescription("Create a HorizontalPodAutoscaler for the agent server; spec.replicas is then ignored")
    private Boolean enabled;

    @Default("1")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Fewest agent server pods")
    private Integer minReplicas;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Most agent server pods; more than one needs redis and database")
    private Integer maxReplicas;

    @Default("70")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Average CPU utilization (percent of the CPU request) to aim for; the pods need a CPU request")
    private Integer targetCPUUtilizationPercentage;

    @Min(1)
    @JsonPropertyDescription("Average open WebSocket connections per pod to aim for (Pods metric agentserver_connections;"
            + " needs a custom metrics API adapter such as prometheus-adapter). Absent: CPU only")
    private Integer targetConnectionsPerPod;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getMinReplicas() { return minReplicas; }
    public void setMinReplicas(Integer minReplicas) { this.minReplicas = minReplicas; }
    public Integer getMaxReplicas() { return maxReplicas; }
    public void setMaxReplicas(Integer maxReplicas) { this.maxReplicas = maxReplicas; }
    public Integer getTargetCPUUtilizationPercentage() { return targetCPUUtilizationPercentage; }
    public void setTargetCPUUtilizationPercentage(Integer target) { this.targetCPUUtilizationPercentage = target; }
    public Integer getTargetConnectionsPerPod() { return targetConnectionsPerPod; }
    public void setTargetConnectionsPerPod(Integer targetConnectionsPerPod) { this.targetConnectionsPerPod = targetConnectionsPerPod; }

    public boolean enabledOrDefault() { return enabled != null && enabled; }
    public int minReplicasOrDefault() { return minReplicas == null ? DEFAULT_MIN_REPLICAS : minReplicas; }
    public int maxReplicasOrMin() { return maxReplicas == null ? minReplicasOrDefault() : maxReplicas; }
    public int targetCpuOrDefault() {
        return targetCPUUtilizationPercentage == null ? DEFAULT_CPU_UTILIZATION : targetCPUUtilizationPercentage;
    }
}
