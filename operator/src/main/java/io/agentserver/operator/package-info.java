/**
 * Wiring of the AgentServer operator: {@link io.agentserver.operator.OperatorMain} reads
 * {@link io.agentserver.operator.OperatorSettings} from the environment, builds the Java Operator
 * SDK {@code Operator} with the reconciler (server-side apply, leader election, watched
 * namespaces, Micrometer metrics) and starts the small HTTP server for health and Prometheus.
 */
package io.agentserver.operator;
