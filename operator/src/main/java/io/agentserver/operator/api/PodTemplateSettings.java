package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.List;
import java.util.Map;

/** What a platform team sets on the agent server pods: scheduling, identity, pull secrets, extra volumes and sidecars. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodTemplateSettings {

    @JsonPropertyDescription("Extra pod labels (the operator's app.kubernetes.io labels win on conflict)")
    private Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Node selector of the pods")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the pods")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Secrets for pulling the agent server image (and sidecar images) from private registries")
    private List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Service account of the pods; the namespace's default when absent")
    private String serviceAccountName;

    @JsonPropertyDescription("Affinity and anti-affinity of the pods, e.g. spread replicas over nodes")
    private Affinity affinity;

    @JsonPropertyDescription("Topology spread constraints of the pods, e.g. over zones; select the pods by"
            + " app.kubernetes.io/instance=<name>,app.kubernetes.io/component=server")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Priority class of the pods")
    private String priorityClassName;

    @JsonPropertyDescription("Extra volumes of the pods (for sidecars or extra files); names tmp and data are the operator's")
    private List<Volume> volumes;

    @JsonPropertyDescription("Extra volume mounts of the agent server container")
    private List<VolumeMount> volumeMounts;

    @JsonPropertyDescription("Extra containers run beside the agent server, e.g. a proxy or log shipper")
    private List<Container> sidecars;

    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
    public String getServiceAccountName() { return serviceAccountName; }
    public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity affinity) { this.affinity = affinity; }
    public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> constraints) { this.topologySpreadConstraints = constraints; }
    public String getPriorityClassName() { return priorityClassName; }
    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
    public List<Volume> getVolumes() { return volumes; }
    public void setVolumes(List<Volume> volumes) { this.volumes = volumes; }
    public List<VolumeMount> getVolumeMounts() { return volumeMounts; }
    public void setVolumeMounts(List<VolumeMount> volumeMounts) { this.volumeMounts = volumeMounts; }
    public List<Container> getSidecars() { return sidecars; }
    public void setSidecars(List<Container> sidecars) { this.sidecars = sidecars; }
}
