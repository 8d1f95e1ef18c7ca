package io.agentserver.service.xagent;

import io.agentserver.service.agent.InteractionEvent;
import io.agentserver.service.agent.InteractionEvents;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.OutboundWriter;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers an interaction's step log to one socket: every step exactly once, in sequence order, from a
 * starting point on. Live notices carry the step itself; a notice that skips ahead, or a notice that was
 * missed, is filled in from the store. All state lives on the socket's writer thread.
 */
final class StepStream implements AutoCloseable {

    private final String interactionId;
    private final Stores stores;
    private final OutboundWriter writer;
    private final Supplier<Duration> pacing;
    private final Consumer<Step> delivered;
    private final Runnable ended;
    private Subscription subscription;
    private long next;
    private boolean finished;

    /**
     * @param pacing    pause before each step (zero for live delivery and replay)
     * @param delivered told of each step written to the socket
     * @param ended     called once the log is complete: a final step was sent, or the run ended without one
     */
    StepStream(String interactionId, Stores stores, OutboundWriter writer, Supplier<Duration> pacing,
               Consumer<Step> delivered, Runnable ended) {
        this.interactionId = interactionId;
        this.stores = stores;
        this.writer = writer;
        this.pacing = pacing;
        this.delivered = delivered;
        this.ended = ended;
    }

    /** Subscribes first and reads the store second, so no step falls between the two. */
    void start(EventBroker broker, long fromSeq) {
        this.next = fromSeq;
        subscription = broker.subscribe(InteractionEvents.eventsTopic(interactionId), new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                InteractionEvents.decode(message).ifPresent(event -> writer.execute(() -> onEvent(event)));
            }

            /** Notices published while the broker was away are gone; the log still has the steps. */
            @Override
            public void resubscribed() {
                writer.execute(StepStream.this::catchUpAndCheckEnd);
            }
        });
        writer.execute(this::catchUpAndCheckEnd);
    }

    private void onEvent(InteractionEvent event) {
        switch (event) {
            case InteractionEvent.StepAppended(Step step) -> {
                if (step.seq() == next) {
                    deliver(step);
                } else if (step.seq() > next) {
                    catchUp();
                }
            }
            case InteractionEvent.StatusChanged changed -> {
                if (changed.status().isFinal()) {
                    catchUpAndCheckEnd();
                }
            }
        }
    }

    private void catchUp() {
        for (Step step : stores.steps().listFrom(interactionId, next)) {
            if (finished) {
                return;
            }
            deliver(step);
        }
    }

    /** After reading the log: a run that ended without a final step (closed) ends the stream too. */
    private void catchUpAndCheckEnd() {
        catchUp();
        if (!finished) {
            Optional<InteractionStatus> status = stores.interactions().find(interactionId).map(i -> i.status());
            if (status.map(InteractionStatus::isFinal).orElse(true)) {
                catchUp();
                end();
            }
        }
    }

    private void deliver(Step step) {
        if (finished || step.seq() != next) {
            return;
        }
        Duration pause = pacing.get();
        if (!pause.isZero()) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        writer.sendNow(XAgentFrames.step(step));
        next = step.seq() + 1;
        delivered.accept(step);
        if (StepStatus.isFinal(step.status())) {
            end();
        }
    }

    private void end() {
        if (!finished) {
            finished = true;
            ended.run();
        }
    }

    long next() {
        return next;
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
