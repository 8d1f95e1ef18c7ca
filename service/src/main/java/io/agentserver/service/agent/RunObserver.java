package io.agentserver.service.agent;

import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

/**
 * Sees every stored step and status change of this replica's runs, after it was stored. Other views of a
 * run (metrics, AutoGPT executions) plug in here. Must not block.
 */
public interface RunObserver {

    default void stepStored(Interaction interaction, Step step) {
    }

    default void statusChanged(Interaction interaction, InteractionStatus status, String message) {
    }

    /** The lease reaper ended a run whose replica stopped renewing its lease (after the status change). */
    default void runReaped(Interaction interaction) {
    }
}
