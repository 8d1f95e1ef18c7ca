package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** The basics of the agent server pod template a platform team tends to set. */
public class PodTemplateSettings {

    @JsonPropertyDescription("Extra pod labels (the operator's app.kubernetes.io labels win on conflict)")
    private Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Node selector of the pods")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the pods")
    private List<Toleration> tolerations;

    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
}
