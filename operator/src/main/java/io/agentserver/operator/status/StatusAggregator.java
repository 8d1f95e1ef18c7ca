package io.agentserver.operator.status;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the next status from an {@link Observation}, keeping each condition's
 * {@code lastTransitionTime} while its status holds, and answers empty when the status would not
 * change, so that the reconciler writes only real changes.
 */
public final class StatusAggregator {

    private final Clock clock;

    public StatusAggregator(Clock clock) {
        this.clock = clock;
    }

    /** The new status, or empty when it equals the current one. */
    public Optional<AgentServerStatus> next(AgentServer resource, Observation observation) {
        AgentServerStatus current = resource.getStatus();
        Long generation = resource.getMetadata().getGeneration();
        AgentServerStatus next = new AgentServerStatus();
        next.setObservedGeneration(generation);
        next.setPhase(phase(observation));
        next.setReplicas(observation.replicas());
        next.setReadyReplicas(observation.readyReplicas());
        next.setEndpoint(resource.getSpec() == null ? null : ResourceNames.endpoint(resource));
        next.setSelector(ResourceNames.serverSelector(resource));
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(current, generation, ConditionType.READY, ready(observation)));
        conditions.add(condition(current, generation, ConditionType.REDIS_READY, observation.redis()));
        conditions.add(condition(current, generation, ConditionType.DATABASE_READY, observation.database()));
        conditions.add(condition(current, generation, ConditionType.RECONCILED, reconciled(observation)));
        next.setConditions(conditions);
        return next.equals(current) ? Optional.empty() : Optional.of(next);
    }

    static Phase phase(Observation observation) {
        if (!observation.specProblems().isEmpty()) {
            return Phase.Failed;
        }
        if (!observation.missingSecrets().isEmpty() || !observation.applyErrors().isEmpty()
                || failing(observation.server()) || failing(observation.redis()) || failing(observation.database())) {
            return Phase.Degraded;
        }
        if (observation.server().isReady() && observation.redis().isReady() && observation.database().isReady()) {
            return Phase.Ready;
        }
        if ("NotCreated".equals(observation.server().reason())) {
            return Phase.Pending;
        }
        return Phase.Progressing;
    }

    private static ComponentState ready(Observation observation) {
        ComponentState reconciled = reconciled(observation);
        if (!reconciled.isReady()) {
            return reconciled;
        }
        if (!observation.server().isReady()) {
            return observation.server();
        }
        if (!observation.redis().isReady()) {
            return ComponentState.progressing("RedisNotReady", observation.redis().message());
        }
        if (!observation.database().isReady()) {
            return ComponentState.progressing("DatabaseNotReady", observation.database().message());
        }
        return ComponentState.ready("Ready", observation.server().message() + "; Redis and database ready");
    }

    private static ComponentState reconciled(Observation observation) {
        if (!observation.specProblems().isEmpty()) {
            return ComponentState.failing("InvalidSpec", String.join("; ", observation.specProblems()));
        }
        if (!observation.missingSecrets().isEmpty()) {
            return ComponentState.failing("SecretNotFound", String.join("; ", observation.missingSecrets()));
        }
        if (!observation.applyErrors().isEmpty()) {
            return ComponentState.failing("ApplyFailed", String.join("; ", observation.applyErrors()));
        }
        return ComponentState.ready("Applied", "All owned objects match the spec");
    }

    private Condition condition(AgentServerStatus current, Long generation, String type, ComponentState state) {
        String status = state.isReady() ? "True" : "False";
        String since = Optional.ofNullable(current)
                .flatMap(c -> c.condition(type))
                .filter(previous -> status.equals(previous.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(state.reason())
                .withMessage(state.message())
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    private static boolean failing(ComponentState state) {
        return state.health() == ComponentState.Health.FAILING;
    }
}
