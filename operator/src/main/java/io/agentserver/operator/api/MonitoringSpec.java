package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

import java.util.Map;

/** A Prometheus Operator ServiceMonitor or PodMonitor for the agent server's /metrics. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MonitoringSpec {

    public static final String DEFAULT_INTERVAL = "30s";

    @Default("false")
    @JsonPropertyDescription("Create the monitor (needs the Prometheus Operator's CRDs, monitoring.coreos.com/v1)")
    private Boolean enabled;

    @Default("ServiceMonitor")
    @JsonPropertyDescription("ServiceMonitor (scrapes the pods behind the Service) or PodMonitor (selects the pods)")
    private MonitorKind kind;

    @Default(DEFAULT_INTERVAL)
    @Pattern("^[0-9]+(ms|s|m|h)$")
    @JsonPropertyDescription("Scrape interval")
    private String interval;

    @JsonPropertyDescription("Extra labels of the monitor, e.g. the release label your Prometheus selects monitors by")
    private Map<String, String> labels;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public MonitorKind getKind() { return kind; }
    public void setKind(MonitorKind kind) { this.kind = kind; }
    public String getInterval() { return interval; }
    public void setInterval(String interval) { this.interval = interval; }
    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }

    public boolean enabledOrDefault() { return enabled != null && enabled; }
    public MonitorKind kindOrDefault() { return kind == null ? MonitorKind.ServiceMonitor : kind; }
    public String intervalOrDefault() { return interval == null ? DEFAULT_INTERVAL : interval; }
}
