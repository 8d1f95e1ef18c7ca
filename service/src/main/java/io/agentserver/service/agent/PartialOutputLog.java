package io.agentserver.service.agent;

import io.agentserver.service.store.PartialOutputStore;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where runs store their streamed model output: one {@link RunLiveOutput} per run, which coalesces what the model
 * sends, stores it as {@link io.agentserver.service.store.PartialOutput} keyed by the step it precedes, then
 * announces it ({@link PartialOutputFeed}). Shares one timer among the runs of this replica.
 */
public final class PartialOutputLog implements AutoCloseable {

    private final PartialOutputStore store;
    private final PartialOutputFeed feed;
    private final LiveOutputSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("live-output").factory());

    public PartialOutputLog(PartialOutputStore store, PartialOutputFeed feed, LiveOutputSettings settings, Clock clock) {
        this.store = store;
        this.feed = feed;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The live output of one run.
     *
     * @param flushUnderRunLock stores what is pending: the run calls {@link RunLiveOutput#flush} under its append
     *                          lock with the seq of its next step; run on a virtual thread after the flush interval
     */
    RunLiveOutput open(String interactionId, String leaseOwner, Runnable flushUnderRunLock) {
        return settings.enabled()
                ? new RunLiveOutput(interactionId, leaseOwner, store, feed, clock, () -> later(flushUnderRunLock))
                : RunLiveOutput.disabled(interactionId);
    }

    private void later(Runnable flush) {
        if (!timer.isShutdown()) {
            timer.schedule(() -> Thread.ofVirtual().name("live-output-flush").start(flush),
                    settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
