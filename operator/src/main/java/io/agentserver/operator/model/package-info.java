/**
 * Pure building blocks shared by the dependents and the reconciler: the names of the owned
 * objects, their {@code app.kubernetes.io/*} labels, the environment the agent server container
 * gets from a spec, the hash that rolls pods when configuration changes, and the checks a spec
 * must pass before anything is applied. Nothing here talks to the API server.
 */
package io.agentserver.operator.model;
