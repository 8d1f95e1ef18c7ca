/**
 * Turns what the operator observed (spec problems, missing Secrets, failed applies, the state of
 * the agent server Deployment, Redis and PostgreSQL) into the AgentServer's status: a phase, the
 * Ready / RedisReady / DatabaseReady / Reconciled conditions with reasons and messages a human can
 * act on, and the endpoint. A condition keeps its {@code lastTransitionTime} unless its status
 * flips, and no new status is produced when nothing changed, so the operator never writes in a
 * loop. Each status change is also told to people and machines: {@code StatusEvents} records a
 * Kubernetes Event for every phase change and new failure, and {@code InstanceMetrics} exports
 * whether each instance is Ready.
 */
package io.agentserver.operator.status;
