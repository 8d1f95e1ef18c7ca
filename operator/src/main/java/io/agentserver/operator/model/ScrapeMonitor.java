package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.api.MonitoringSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator ServiceMonitor or PodMonitor ({@code monitoring.coreos.com/v1}) that scrapes
 * {@code /metrics} on the agent server pods' {@code http} port. Built as a generic object: the
 * operator does not depend on the Prometheus Operator's model classes.
 */
public final class ScrapeMonitor {

    public static final String GROUP = "monitoring.coreos.com";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private ScrapeMonitor() {
    }

    public static GenericKubernetesResource of(AgentServer owner, ObjectMeta metadata, MonitorKind kind) {
        MonitoringSpec monitoring = owner.getSpec().getMonitoring();
        if (monitoring.getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(monitoring.getLabels());
            labels.putAll(metadata.getLabels());
            metadata.setLabels(labels);
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", "http");
        endpoint.put("path", "/metrics");
        endpoint.put("interval", monitoring.intervalOrDefault());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Labels.selector(owner, Component.SERVER)));
        spec.put("namespaceSelector", Map.of("matchNames", List.of(owner.getMetadata().getNamespace())));
        spec.put(kind == MonitorKind.PodMonitor ? "podMetricsEndpoints" : "endpoints", List.of(endpoint));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(kind.name())
                .withMetadata(metadata)
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }
}
