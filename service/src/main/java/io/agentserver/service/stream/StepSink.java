package io.agentserver.service.stream;

import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;

/**
 * What a view does with the steps its {@link StepCursor} yields. Every call is made with the cursor's lock held,
 * from whichever thread moved the cursor (a run appending, the broker, the view's own work): it must only render
 * and queue, never block.
 */
public interface StepSink {

    /** The cursor's first read of the store found the log at {@code head}; called once, before any step. */
    default void started(LogHead head) {
    }

    /**
     * Takes the next step of the log; false when the view has no room for it now (nothing was taken), and the
     * cursor waits for {@link #whenRoom}.
     */
    boolean offer(Step step);

    /** Calls {@code resume} once, when there is room again; it may call it at once. */
    void whenRoom(Runnable resume);

    /** The run's status, after every step stored before the change; each distinct status once. */
    default void status(InteractionStatus status) {
    }

    /** The log is complete (its final status was shown); nothing follows. Called once. */
    default void ended() {
    }
}
