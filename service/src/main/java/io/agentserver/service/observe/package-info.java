/**
 * What operators see: Prometheus metrics in text format — among them runs and steps by agent
 * ({@link io.agentserver.service.observe.RunMetricsObserver}) and model requests and upstream errors
 * ({@link io.agentserver.service.observe.AgentTelemetryMetrics}) — and health: liveness (the process serves
 * requests) and readiness (the database, and Redis when configured, are reachable, riding out a blip shorter than {@link io.agentserver.service.observe.HealthSettings#readinessGrace()} that liveness and the metrics still report); and the log line format
 * ({@link io.agentserver.service.observe.LogLineFormatter}).
 */
package io.agentserver.service.observe;
