package io.agentserver.service.xagent;

import io.agentserver.service.agent.InteractionEvent;
import io.agentserver.service.agent.InteractionEvents;
import io.agentserver.service.agent.LocalEventFeed;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Delivers an interaction's step log to one socket: every step exactly once, in sequence order, from a starting
 * point on. Live notices carry the step itself: from this replica's runs straight from the {@link LocalEventFeed}
 * (no broker round trip, nothing decoded), from other replicas' runs over the broker; the broker's copy of a step
 * already delivered is dropped by its sequence number before it is decoded. A notice that skips ahead, or a notice
 * that was missed, is filled in from the store. A step counts as delivered only once its frame was written. While
 * the stream is live and quiet it re-reads the store on the {@link StreamTimer}'s tick, so a notice lost on the
 * broker costs at most one tick of delay. Paced playback schedules each step on the timer instead of sleeping on
 * the writer, so pongs and pings go out between steps. All delivery state lives on the socket's writer thread.
 */
final class StepStream implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StepStream.class.getName());

    /** No pause between steps: live delivery and replay. */
    static final Supplier<Duration> UNPACED = () -> Duration.ZERO;

    /** What the socket hears from its stream; every call comes on the writer thread. */
    interface Sink {
        /** The step's frame was written to the socket. */
        void delivered(Step step);

        /** A tick passed: a good moment to persist how far delivery got. */
        void checkpoint();

        /** The log is complete: a final step was written, or the run ended without one. */
        void ended();
    }

    private final String interactionId;
    private final Stores stores;
    private final LocalEventFeed localEvents;
    private final ConnectionSession session;
    private final StreamTimer timer;
    private final Supplier<Duration> pacing;
    private final Sink sink;
    private final Deque<Step> pacedBacklog = new ArrayDeque<>();
    private volatile Subscription subscription;
    private volatile Subscription localSubscription;
    private volatile AutoCloseable recheck;
    /** The next sequence number to deliver; written on the writer thread, read elsewhere to drop duplicates. */
    private volatile long next;
    private boolean finished;
    /** A write failed: the socket is gone, and nothing more counts as delivered. */
    private boolean broken;
    /** The log's final step was written; the stream ends once the run's status is final too. */
    private boolean finalWritten;
    private volatile boolean done;
    private volatile long lastNoticeNanos = System.nanoTime();

    StepStream(String interactionId, Stores stores, LocalEventFeed localEvents, ConnectionSession session,
               StreamTimer timer, Supplier<Duration> pacing, Sink sink) {
        this.interactionId = interactionId;
        this.stores = stores;
        this.localEvents = localEvents;
        this.session = session;
        this.timer = timer;
        this.pacing = pacing;
        this.sink = sink;
    }

    /** Subscribes first and reads the store second, so no step falls between the two. */
    void start(EventBroker broker, long fromSeq) {
        this.next = fromSeq;
        if (paced()) {
            session.execute(this::pacedStep);
            return;
        }
        localSubscription = localEvents.subscribe(interactionId, event -> {
            lastNoticeNanos = System.nanoTime();
            if (!delivered(event)) {
                session.execute(() -> onEvent(event));
            }
        });
        subscription = broker.subscribe(InteractionEvents.eventsTopic(interactionId), new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                lastNoticeNanos = System.nanoTime();
                OptionalLong seq = InteractionEvents.stepSeq(message);
                if (seq.isPresent() && seq.getAsLong() < next) {
                    return;
                }
                InteractionEvents.decode(message).ifPresent(event -> session.execute(() -> onEvent(event)));
            }

            /** Notices published while the broker was away are gone; the log still has the steps. */
            @Override
            public void resubscribed() {
                session.execute(StepStream.this::catchUpAndCheckEnd);
            }
        });
        recheck = timer.everyRecheck(this::tick);
        session.execute(this::catchUpAndCheckEnd);
    }

    /** A step this stream already wrote (its broker copy after the local one, say); {@code next} only grows. */
    private boolean delivered(InteractionEvent event) {
        return event instanceof InteractionEvent.StepAppended(Step step) && step.seq() < next;
    }

    private boolean paced() {
        return pacing != UNPACED;
    }

    /** On the timer's thread: only queues. A stream that heard nothing for half a tick re-reads the store. */
    private void tick() {
        if (done || !session.isOpen()) {
            return;
        }
        // Half a tick of silence: a lost notice waits at most one and a half ticks for its re-read.
        boolean quiet = System.nanoTime() - lastNoticeNanos >= timer.recheckInterval().toNanos() / 2;
        session.execute(() -> {
            if (quiet) {
                catchUpAndCheckEnd();
            }
            sink.checkpoint();
        });
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
        if (finalWritten) {
            return;
        }
        for (Step step : stores.steps().listFrom(interactionId, next)) {
            if (finished || broken) {
                return;
            }
            deliver(step);
        }
    }

    /** After reading the log: a run that ended without a final step (closed) ends the stream too. */
    private void catchUpAndCheckEnd() {
        if (finished || broken) {
            return;
        }
        catchUp();
        if (!finished && !broken && runEnded()) {
            catchUp();
            end();
        }
    }

    private boolean runEnded() {
        Optional<InteractionStatus> status = stores.interactions().find(interactionId).map(i -> i.status());
        return status.map(InteractionStatus::isFinal).orElse(true);
    }

    /** One paced step, then the next one scheduled after its pause; polls while the run still goes on. */
    private void pacedStep() {
        if (finished || broken || done) {
            return;
        }
        if (pacedBacklog.isEmpty()) {
            pacedBacklog.addAll(stores.steps().listFrom(interactionId, next));
        }
        Step step = pacedBacklog.pollFirst();
        if (step != null) {
            deliver(step);
        } else if (runEnded()) {
            pacedBacklog.addAll(stores.steps().listFrom(interactionId, next));
            if (pacedBacklog.isEmpty()) {
                end();
                return;
            }
        }
        if (!finished && !broken) {
            Duration pause = step == null ? timer.recheckInterval() : pacing.get();
            timer.after(pause, () -> session.execute(this::pacedStep));
        }
    }

    private void deliver(Step step) {
        if (finished || broken || finalWritten || step.seq() != next) {
            return;
        }
        if (!session.writeNow(XAgentFrames.step(step))) {
            broken = true;
            LOG.log(Level.DEBUG, () -> "step not written conn=" + session.id() + " interaction=" + interactionId
                    + " seq=" + step.seq());
            return;
        }
        next = step.seq() + 1;
        finalWritten = StepStatus.isFinal(step.status());
        sink.delivered(step);
        // The socket closes once the interaction's status is final too, so a client that looks it up after
        // the close sees how the run ended; until then the status notice or the next tick ends the stream.
        if (StepStatus.isFinal(step.status()) && runEnded()) {
            end();
        }
    }

    private void end() {
        if (!finished) {
            finished = true;
            done = true;
            sink.ended();
        }
    }

    @Override
    public void close() {
        done = true;
        if (localSubscription != null) {
            localSubscription.close();
        }
        if (subscription != null) {
            subscription.close();
        }
        if (recheck != null) {
            try {
                recheck.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "recheck release failed: " + e);
            }
        }
    }
}
