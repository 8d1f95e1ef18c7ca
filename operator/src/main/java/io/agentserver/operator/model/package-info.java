/**
 * Pure building blocks shared by the dependents and the reconciler: the names of the owned
 * objects, their {@code app.kubernetes.io/*} labels, the environment the agent server container
 * gets from a spec (including the real agents of {@code spec.agents}), the pod-template extras, the
 * backends' NetworkPolicies, the scrape monitors and the CloudNativePG objects, the hash that rolls pods when
 * configuration changes, the checks a spec must pass before anything is applied (among them the restricted Pod
 * Security Standard for {@code spec.podTemplate}), and the unknown fields of an object read under a newer CRD.
 * Nothing here talks to the API server.
 */
package io.agentserver.operator.model;
