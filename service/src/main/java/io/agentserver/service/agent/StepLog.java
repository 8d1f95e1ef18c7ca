package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.json.Json;
import io.agentserver.service.json.Utf8;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * Appends steps and status changes: stored first, then handed to this replica's viewers ({@link LocalEventFeed}),
 * published to the interaction's viewers everywhere, then shown to the observers. Whoever reads the log after a
 * notice finds the step there. Only the holder of a run's lease appends to its log (fencing).
 */
public final class StepLog {

    private static final System.Logger LOG = System.getLogger(StepLog.class.getName());

    private final Stores stores;
    private final EventBroker broker;
    private final List<RunObserver> observers;
    private final Clock clock;
    private final LocalEventFeed localFeed;
    private final int maxStepBytes;
    /** Where runs store their streamed model output; null: nowhere (a run's live output is {@link LiveOutput#NONE}). */
    private final PartialOutputLog partials;

    /**
     * @param localFeed    where this replica's viewers hear its runs' appends without the broker
     * @param maxStepBytes the largest step data (UTF-8 JSON) an agent may emit; a larger one fails the run
     */
    public StepLog(Stores stores, EventBroker broker, LocalEventFeed localFeed, List<RunObserver> observers, Clock clock,
                   int maxStepBytes) {
        this(stores, broker, localFeed, observers, clock, maxStepBytes, null);
    }

    /**
     * @param partials where runs store their streamed model output for live views (AG-UI), before their steps
     */
    public StepLog(Stores stores, EventBroker broker, LocalEventFeed localFeed, List<RunObserver> observers, Clock clock,
                   int maxStepBytes, PartialOutputLog partials) {
        this.partials = partials;
        this.stores = stores;
        this.broker = broker;
        this.localFeed = localFeed;
        this.observers = List.copyOf(observers);
        this.clock = clock;
        this.maxStepBytes = maxStepBytes;
    }

    /**
     * Stores the step as the holder of the interaction's run lease, then announces it.
     *
     * @throws LeaseLostException when {@code leaseOwner} no longer holds the lease or the interaction already
     *                            ended: nothing was stored
     * @throws RunFailure         when the step's data is larger than the limit: nothing was stored
     */
    public Step append(Interaction interaction, long seq, StepDraft draft, String leaseOwner) {
        return append(interaction, seq, draft, leaseOwner, workspaceFileList(interaction.interactionId()));
    }

    /**
     * {@link #append(Interaction, long, StepDraft, String)} with the workspace list already rendered by
     * {@link #workspaceFileList}: a run that knows its workspace did not change reads it once, not per step.
     */
    Step append(Interaction interaction, long seq, StepDraft draft, String leaseOwner, String workspaceFilesJson) {
        String data = Json.write(draft.data() == null ? Json.mapper().nullNode() : draft.data());
        long bytes = Utf8.length(data);
        if (bytes > maxStepBytes) {
            throw new RunFailure("a step of " + bytes + " bytes is larger than the limit of " + maxStepBytes
                    + " bytes (run.max-step-bytes); the run was ended");
        }
        Step step = new Step(interaction.interactionId(),
                seq,
                draft.nodeId() == null ? NodeIds.next() : draft.nodeId(),
                draft.status(),
                draft.current() == null ? "" : draft.current(),
                data,
                workspaceFilesJson,
                draft.awaitsReply(),
                null,
                clock.instant());
        if (!stores.steps().appendAsLeaseHolder(step, leaseOwner)) {
            throw new LeaseLostException(interaction.interactionId(), leaseOwner);
        }
        InteractionEvent.StepAppended appended = new InteractionEvent.StepAppended(step);
        localFeed.publish(appended);
        announce(InteractionEvents.eventsTopic(step.interactionId()), InteractionEvents.encode(appended));
        observers.forEach(o -> notify(() -> o.stepStored(interaction, step)));
        return step;
    }

    /** The live output of a run: see {@link PartialOutputLog#open}. */
    RunLiveOutput liveOutput(String interactionId, String leaseOwner, Runnable flushUnderRunLock) {
        return partials == null ? RunLiveOutput.disabled(interactionId)
                : partials.open(interactionId, leaseOwner, flushUnderRunLock);
    }

    /** Tells the observers that the lease reaper ended {@code interaction} as failed. */
    public void reaped(Interaction interaction) {
        observers.forEach(o -> notify(() -> o.runReaped(interaction)));
    }

    /**
     * Moves the interaction to {@code status} if it is in one of {@code expected} and {@code leaseOwner} holds its
     * run lease (fencing, as for appends); publishes when it moved.
     *
     * @param afterSeq the seq of the run's last stored step (-1: none), so viewers show the status after it
     */
    public boolean transition(Interaction interaction, Collection<InteractionStatus> expected,
                              InteractionStatus status, String message, String leaseOwner, long afterSeq) {
        boolean moved = stores.interactions().transitionAsLeaseHolder(interaction.interactionId(), expected, status,
                message, leaseOwner);
        if (moved) {
            InteractionEvent.StatusChanged changed = new InteractionEvent.StatusChanged(
                    interaction.interactionId(), interaction.userId(), status, message, afterSeq);
            localFeed.publish(changed);
            announce(InteractionEvents.eventsTopic(interaction.interactionId()), InteractionEvents.encode(changed));
            observers.forEach(o -> notify(() -> o.statusChanged(interaction, status, message)));
        }
        return moved;
    }

    /** The workspace as XAgent frames list it: {@code [{"name":"a.py","suffix":"py"}]}. */
    public String workspaceFileList(String interactionId) {
        ArrayNode files = Json.array();
        for (String name : stores.workspace().list(interactionId)) {
            int dot = name.lastIndexOf('.');
            files.addObject().put("name", name).put("suffix", dot < 0 ? "" : name.substring(dot + 1));
        }
        return Json.write(files);
    }

    /**
     * A notice the broker could neither send nor queue is not retried here: every reader re-reads the store on
     * its own timer, so the loss costs a bounded delay.
     */
    private void announce(String topic, String message) {
        if (!broker.publish(topic, message)) {
            LOG.log(Level.DEBUG, () -> "notice not published topic=" + topic + "; readers catch up from the store");
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run observer failed", e);
        }
    }
}
