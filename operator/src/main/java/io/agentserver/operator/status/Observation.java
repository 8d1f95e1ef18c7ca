package io.agentserver.operator.status;

import java.util.List;

/**
 * Everything one reconcile learned, as input to the status.
 *
 * @param specProblems   rule violations in the spec; nothing was applied
 * @param missingSecrets referenced Secrets or keys that do not exist; nothing was applied
 * @param applyErrors    owned objects the API server refused
 * @param server         the agent server Deployment
 * @param redis          Redis (managed, external or in-process)
 * @param database       PostgreSQL (managed, external) or embedded H2
 * @param replicas       pods of the agent server Deployment, if known
 * @param readyReplicas  ready pods of the agent server Deployment, if known
 */
public record Observation(List<String> specProblems, List<String> missingSecrets, List<String> applyErrors,
                          ComponentState server, ComponentState redis, ComponentState database,
                          Integer replicas, Integer readyReplicas) {

    /** The same observation with another state of the database. */
    public Observation withDatabase(ComponentState state) {
        return new Observation(specProblems, missingSecrets, applyErrors, server, redis, state, replicas, readyReplicas);
    }

    public boolean applied() {
        return specProblems.isEmpty() && missingSecrets.isEmpty() && applyErrors.isEmpty();
    }
}
