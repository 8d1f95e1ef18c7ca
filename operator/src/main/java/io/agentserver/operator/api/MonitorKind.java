package io.agentserver.operator.api;

/** The Prometheus Operator object that tells Prometheus to scrape the agent server pods. */
public enum MonitorKind {
    ServiceMonitor,
    PodMonitor
}
