package io.agentserver.operator.status;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusEventsTest {

    private final StatusEvents events = new StatusEvents("operator-0",
            Clock.fixed(Instant.parse("2026-11-24T12:00:00.123456Z"), ZoneOffset.UTC));
    private final AgentServer resource = Samples.managed("demo");

    @Test
    void everyPhaseChangeIsANormalEventWithTheReadyMessage() {
        Event event = events.eventFor(resource, status(Phase.Progressing, "True", "Applied", "ok"),
                status(Phase.Ready, "True", "Applied", "ok")).orElseThrow();

        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getReason()).isEqualTo("Ready");
        assertThat(event.getNote()).startsWith("Phase Progressing -> Ready: ");
        assertThat(event.getRegarding().getKind()).isEqualTo("AgentServer");
        assertThat(event.getRegarding().getName()).isEqualTo("demo");
        assertThat(event.getRegarding().getUid()).isEqualTo("uid-demo");
        assertThat(event.getReportingController()).isEqualTo(StatusEvents.REPORTING_CONTROLLER);
        assertThat(event.getReportingInstance()).isEqualTo("operator-0");
        assertThat(event.getAction()).isEqualTo(StatusEvents.ACTION);
        assertThat(event.getEventTime().getTime()).isEqualTo("2026-11-24T12:00:00.123456Z");
        assertThat(event.getMetadata().getName()).startsWith("demo.");
    }

    @Test
    void aFailureIsAWarningWithTheReconciledReasonAndMessage() {
        Event event = events.eventFor(resource, null,
                status(Phase.Failed, "False", "InvalidSpec", "spec.database: set managed: true, or else give a url")).orElseThrow();

        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo("InvalidSpec");
        assertThat(event.getNote()).isEqualTo("Phase none -> Failed: spec.database: set managed: true, or else give a url");
    }

    @Test
    void aNewFailureInTheSamePhaseIsAnotherWarningButTheSameStatusIsNot() {
        AgentServerStatus missing = status(Phase.Degraded, "False", "SecretNotFound", "Secret \"a\" does not exist");
        AgentServerStatus applyFailed = status(Phase.Degraded, "False", "ApplyFailed", "server-deployment: 422");

        assertThat(events.eventFor(resource, missing, applyFailed)).hasValueSatisfying(event -> {
            assertThat(event.getReason()).isEqualTo("ApplyFailed");
            assertThat(event.getNote()).isEqualTo("server-deployment: 422");
        });
        assertThat(events.eventFor(resource, missing, missing)).isEmpty();
        assertThat(events.eventFor(resource, status(Phase.Progressing, "True", "Applied", "1/2"),
                status(Phase.Progressing, "True", "Applied", "2/2"))).as("progress within a phase").isEqualTo(Optional.empty());
    }

    private static AgentServerStatus status(Phase phase, String reconciled, String reason, String message) {
        AgentServerStatus status = new AgentServerStatus();
        status.setPhase(phase);
        status.setConditions(List.of(
                new ConditionBuilder().withType(ConditionType.READY).withStatus(phase == Phase.Ready ? "True" : "False")
                        .withReason(phase == Phase.Ready ? "Ready" : reason).withMessage(message).build(),
                new ConditionBuilder().withType(ConditionType.RECONCILED).withStatus(reconciled)
                        .withReason(reason).withMessage(message).build()));
        return status;
    }
}
