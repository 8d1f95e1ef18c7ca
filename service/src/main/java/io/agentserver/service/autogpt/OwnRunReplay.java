package io.agentserver.service.autogpt;

import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a recovering {@code /ws} subscriber of one of our own runs missed, read from the store: a
 * {@code node_execution_event} per step from the cursor on, rendered by {@link XAgentRunEvents} exactly as
 * {@link AutoGptRunPublisher} published them live, then the run's current {@code graph_execution_event}.
 * The store keeps every step, so this recovery is always complete. A node event's cursor is
 * {@code seq + 1}: the client echoes it, and {@code "0"} means from the first step.
 */
final class OwnRunReplay {

    /** One frame of a replay: the cursor it moves the client to, when it moves it. */
    record Replayed(EncodedFrame frame, Optional<String> eventId, String statusOrNull) {
    }

    private final Stores stores;
    private final XAgentRunEvents events;
    private final SubscriptionCodec codec;

    OwnRunReplay(Stores stores, XAgentRunEvents events, SubscriptionCodec codec) {
        this.stores = stores;
        this.events = events;
        this.codec = codec;
    }

    /** The user's own run with this id, if it is one. */
    Optional<Interaction> find(String userId, String graphExecId) {
        return stores.interactions().find(graphExecId).filter(i -> i.userId().equals(userId) && !i.deleted());
    }

    /** Everything from cursor {@code fromSeq} (the first seq the client has not seen). */
    List<Replayed> from(Interaction run, long fromSeq, String channelKey) {
        String graphId = AutoGptRunPublisher.graphId(run);
        List<Replayed> replay = new ArrayList<>();
        // The status first: a change after this read arrives live and is not mistaken for a duplicate.
        Interaction now = stores.interactions().find(run.interactionId()).orElse(run);
        for (Step step : stores.steps().listFrom(run.interactionId(), fromSeq)) {
            RawJsonObject event = events.nodeExecutionEvent(run.userId(), graphId, run.interactionId(), step.nodeId(),
                    step.status(), step.current(), step.dataJson(), step.workspaceFilesJson(), step.seq(),
                    step.createTime());
            replay.add(new Replayed(codec.event(WsMethod.NODE_EXECUTION_EVENT, event, channelKey),
                    Optional.of(String.valueOf(step.seq() + 1)), null));
        }
        RawJsonObject status = events.graphExecutionEvent(run.userId(), graphId, run.interactionId(),
                now.status().wire(), now.createTime(), now.status().isFinal() ? now.updateTime() : null);
        replay.add(new Replayed(codec.event(WsMethod.GRAPH_EXECUTION_EVENT, status, channelKey), Optional.empty(),
                XAgentRunEvents.graphStatus(now.status().wire()).name()));
        return replay;
    }
}
