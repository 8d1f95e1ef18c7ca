/**
 * Pure building blocks shared by the dependents and the reconciler: the names of the owned
 * objects, their {@code app.kubernetes.io/*} labels, the environment the agent server container
 * gets from a spec (including the real agents of {@code spec.agents}), the pod-template extras, the
 * backends' NetworkPolicies and the scrape monitors, the hash that rolls pods when configuration changes, and the checks a spec
 * must pass before anything is applied. Nothing here talks to the API server.
 */
package io.agentserver.operator.model;
