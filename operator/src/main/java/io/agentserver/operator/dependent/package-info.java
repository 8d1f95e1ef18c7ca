/**
 * One dependent resource per object an AgentServer owns. Each class only builds the desired
 * object from the spec (Java Operator SDK creates, matches, updates and deletes it); the names,
 * labels and environment come from {@code model}. The generated credentials are created once and
 * never rewritten. {@link io.agentserver.operator.dependent.ReferencedSecrets} watches the user's
 * Secrets so that a change to one rolls the pods. Optional objects follow the spec: the
 * HorizontalPodAutoscaler (which then owns the Deployment's replica count, see
 * {@code ReplicasUnderAutoscaler}), the NetworkPolicies of the managed backends, and the
 * Prometheus Operator monitors and the CloudNativePG Cluster and ScheduledBackup, which are generic objects
 * activated only while the cluster serves their kind.
 */
package io.agentserver.operator.dependent;
