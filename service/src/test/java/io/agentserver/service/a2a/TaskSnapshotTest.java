package io.agentserver.service.a2a;

import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TaskSnapshotTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final TaskRef REF = new TaskRef("t", "t", "goal", "demo");

    @Test
    void aFinalStepIsTheTasksStateBeforeTheStatusFollows() {
        assertThat(snapshot(InteractionStatus.RUNNING, step("finished", false, null)).state())
                .isEqualTo(A2aState.COMPLETED);
        assertThat(snapshot(InteractionStatus.RUNNING, step("failed", false, null)).state())
                .isEqualTo(A2aState.FAILED);
    }

    @Test
    void anUnansweredStepThatAsksIsInputRequiredWhateverTheStatusSaysYet() {
        assertThat(snapshot(InteractionStatus.RUNNING, step("ask_for_human_help", true, null)).state())
                .isEqualTo(A2aState.INPUT_REQUIRED);
        assertThat(snapshot(InteractionStatus.ASK_FOR_HUMAN_HELP, step("inner", true, "{\"answer\":\"ok\"}")).state())
                .as("answered: working on it").isEqualTo(A2aState.WORKING);
    }

    @Test
    void aFinalStatusAndNoStartAreTheirOwnStates() {
        assertThat(snapshot(InteractionStatus.CLOSED, step("inner", false, null)).state()).isEqualTo(A2aState.CANCELED);
        assertThat(new TaskReader.Snapshot(interaction(InteractionStatus.READY), REF, Optional.empty()).state())
                .isEqualTo(A2aState.SUBMITTED);
    }

    private static TaskReader.Snapshot snapshot(InteractionStatus status, Step last) {
        return new TaskReader.Snapshot(interaction(status), REF, Optional.of(last));
    }

    private static Interaction interaction(InteractionStatus status) {
        return new Interaction("t", "u", AT, AT, "d", "demo", "auto", "[]", "", status, "m", "-1", false, "a2a", false);
    }

    private static Step step(String status, boolean asks, String human) {
        return new Step("t", 4, "n4", status, "1.1", "null", "[]", asks, human, AT);
    }
}
