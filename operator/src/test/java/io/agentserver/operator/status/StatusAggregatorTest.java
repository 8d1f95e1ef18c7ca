package io.agentserver.operator.status;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");
    private static final ComponentState READY = ComponentState.ready("Available", "all good");
    private static final ComponentState ROLLING = ComponentState.progressing("RollingOut", "1 of 2 updated");

    @Test
    void readyWhenServerRedisAndDatabaseAreReady() {
        AgentServerStatus status = at(T0).next(Samples.managed("demo"), observation(READY, READY, READY)).orElseThrow();

        assertThat(status.getPhase()).isEqualTo(Phase.Ready);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getEndpoint()).isEqualTo("ws://demo.agents.svc:8080");
        assertThat(status.getConditions()).extracting(Condition::getType, Condition::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Ready", "True"),
                org.assertj.core.groups.Tuple.tuple("RedisReady", "True"),
                org.assertj.core.groups.Tuple.tuple("DatabaseReady", "True"),
                org.assertj.core.groups.Tuple.tuple("Reconciled", "True"));
    }

    @Test
    void readyNamesTheFirstThingThatIsNotReady() {
        AgentServerStatus status = at(T0).next(Samples.managed("demo"), observation(READY, READY, ROLLING)).orElseThrow();

        assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
        assertThat(condition(status, "Ready").getReason()).isEqualTo("DatabaseNotReady");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("1 of 2 updated");
    }

    @Test
    void invalidSpecFailsMissingSecretDegradesAndAbsentDeploymentIsPending() {
        Observation invalid = new Observation(List.of("spec.database: set managed: true, or else give a url"), List.of(),
                List.of(), ComponentState.progressing("NotCreated", "-"), READY, READY, null, null);
        Observation missing = new Observation(List.of(), List.of("Secret \"x\" does not exist"), List.of(),
                ComponentState.progressing("NotCreated", "-"), READY, READY, null, null);
        Observation pending = observation(ComponentState.progressing("NotCreated", "-"), READY, READY);

        AgentServerStatus failed = at(T0).next(Samples.managed("demo"), invalid).orElseThrow();
        assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
        assertThat(condition(failed, "Reconciled").getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(failed, "Ready").getMessage()).isEqualTo("spec.database: set managed: true, or else give a url");
        assertThat(at(T0).next(Samples.managed("demo"), missing).orElseThrow().getPhase()).isEqualTo(Phase.Degraded);
        assertThat(at(T0).next(Samples.managed("demo"), pending).orElseThrow().getPhase()).isEqualTo(Phase.Pending);
    }

    @Test
    void keepsLastTransitionTimeWhileAConditionHoldsAndMovesItWhenItFlips() {
        AgentServer resource = Samples.managed("demo");
        resource.setStatus(at(T0).next(resource, observation(ROLLING, READY, READY)).orElseThrow());

        AgentServerStatus later = at(T1).next(resource, observation(READY, READY, READY)).orElseThrow();

        assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(condition(later, "RedisReady").getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(condition(later, "Reconciled").getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void producesNothingWhenTheStatusWouldNotChange() {
        AgentServer resource = Samples.managed("demo");
        resource.setStatus(at(T0).next(resource, observation(READY, READY, READY)).orElseThrow());

        Optional<AgentServerStatus> again = at(T1).next(resource, observation(READY, READY, READY));

        assertThat(again).isEmpty();
    }

    @Test
    void aNewGenerationIsWrittenEvenWhenAllElseHolds() {
        AgentServer resource = Samples.managed("demo");
        resource.setStatus(at(T0).next(resource, observation(READY, READY, READY)).orElseThrow());
        resource.getMetadata().setGeneration(2L);

        assertThat(at(T1).next(resource, observation(READY, READY, READY)))
                .hasValueSatisfying(status -> assertThat(status.getObservedGeneration()).isEqualTo(2L));
    }

    private static StatusAggregator at(Instant now) {
        return new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Observation observation(ComponentState server, ComponentState redis, ComponentState database) {
        return new Observation(List.of(), List.of(), List.of(), server, redis, database, 1, 1);
    }

    private static Condition condition(AgentServerStatus status, String type) {
        return status.condition(type).orElseThrow();
    }
}
