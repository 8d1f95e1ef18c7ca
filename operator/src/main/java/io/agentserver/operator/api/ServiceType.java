package io.agentserver.operator.api;

/** Kubernetes Service types the agent server can be exposed with. */
public enum ServiceType {
    ClusterIP, NodePort, LoadBalancer
}
