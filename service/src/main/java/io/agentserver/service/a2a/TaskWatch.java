package io.agentserver.service.a2a;

import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.stream.StepSink;

import java.util.concurrent.CompletableFuture;

/**
 * A view of a task's log that renders nothing: it completes once the task settles — it ended, or (when asked) it
 * waits for a human. A blocking {@code SendMessage} waits on it, {@code CancelTask} too (for the end alone).
 */
final class TaskWatch implements StepSink {

    private final boolean settlesOnInput;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    /** @param settlesOnInput whether a step that waits for a human settles the task (else only its end does) */
    TaskWatch(boolean settlesOnInput) {
        this.settlesOnInput = settlesOnInput;
    }

    CompletableFuture<Void> settled() {
        return settled;
    }

    @Override
    public boolean offer(Step step) {
        if (StepStatus.isFinal(step.status()) || settlesOnInput && step.askForHumanHelp() && !step.answered()) {
            settled.complete(null);
        }
        return true;
    }

    @Override
    public void whenRoom(Runnable resume) {
        resume.run();
    }

    @Override
    public void status(InteractionStatus status) {
        if (status.isFinal()) {
            settled.complete(null);
        }
    }

    @Override
    public void ended() {
        settled.complete(null);
    }
}
