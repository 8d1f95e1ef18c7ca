/**
 * The AgentServer controller: {@link io.agentserver.operator.reconciler.AgentServerReconciler}
 * declares the workflow of dependents (with the conditions that switch managed Redis, managed
 * PostgreSQL, the PodDisruptionBudget, the autoscaler, the NetworkPolicies and the monitors on and
 * off; the monitors and the CloudNativePG Cluster and ScheduledBackup are also activated only while the cluster
 * serves their kind), refuses to apply a spec that fails its checks or references a missing Secret, runs the
 * workflow, heals a managed PostgreSQL pod stuck at a reverted revision ({@code PostgresForcedRollback}), warns
 * about fields newer than the operator ({@code UnknownFieldsWarning}), and hands what it saw to the status
 * aggregator. It logs one line per changed outcome, with the resource's namespace and name.
 */
package io.agentserver.operator.reconciler;
