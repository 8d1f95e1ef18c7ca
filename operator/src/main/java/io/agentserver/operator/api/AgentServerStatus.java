package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator observed at {@code observedGeneration}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentServerStatus {

    private Long observedGeneration;
    private Phase phase;
    private List<Condition> conditions = new ArrayList<>();
    @StatusReplicas
    private Integer replicas;
    private Integer readyReplicas;
    private String endpoint;
    /** Label selector of the agent server pods, for the scale subresource (kubectl scale, autoscalers). */
    @LabelSelector
    private String selector;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public Phase getPhase() { return phase; }
    public void setPhase(Phase phase) { this.phase = phase; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getSelector() { return selector; }
    public void setSelector(String selector) { this.selector = selector; }

    /** The condition of this type, if reported. */
    public Optional<Condition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentServerStatus that
                && Objects.equals(observedGeneration, that.observedGeneration)
                && phase == that.phase
                && Objects.equals(conditions, that.conditions)
                && Objects.equals(replicas, that.replicas)
                && Objects.equals(readyReplicas, that.readyReplicas)
                && Objects.equals(endpoint, that.endpoint)
                && Objects.equals(selector, that.selector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, replicas, readyReplicas, endpoint, selector);
    }
}
