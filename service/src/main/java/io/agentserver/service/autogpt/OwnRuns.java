package io.agentserver.service.autogpt;

import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.time.Instant;
import java.util.Optional;

/**
 * Our own runs as {@code /ws} subscribers see them: which executions are ours, and each step and status change of
 * one rendered for a channel key exactly as {@link AutoGptRunPublisher} publishes it, so a subscriber of our run
 * (served from the step log) and a subscriber of its graph (served from the bus) see the same frames.
 */
final class OwnRuns {

    private final Stores stores;
    private final XAgentRunEvents events;
    private final SubscriptionCodec codec;

    OwnRuns(Stores stores, XAgentRunEvents events, SubscriptionCodec codec) {
        this.stores = stores;
        this.events = events;
        this.codec = codec;
    }

    /**
     * The user's own run with this id, if it is one. Only an id of our shape (32 lowercase hex characters) costs a
     * store read: an AutoGPT executor's execution id (a UUID with dashes) costs none.
     */
    Optional<Interaction> find(String userId, String graphExecId) {
        if (!NodeIds.valid(graphExecId)) {
            return Optional.empty();
        }
        return stores.interactions().find(graphExecId).filter(i -> i.userId().equals(userId) && !i.deleted());
    }

    /**
     * The run's graph (its agent) once a run has started on the interaction: the agent is chosen by the start, so
     * before it the graph is not known yet.
     */
    Optional<String> graphOf(Interaction run) {
        boolean started = run.status() != InteractionStatus.READY && run.status() != InteractionStatus.CONNECTED;
        return started ? Optional.of(AutoGptRunPublisher.graphId(run)) : Optional.empty();
    }

    /** {@link #graphOf} read from the store now. */
    Optional<String> graphOf(String interactionId) {
        return stores.interactions().find(interactionId).flatMap(this::graphOf);
    }

    /** The seq of the run's last stored step (-1: none). */
    long lastSeq(String interactionId) {
        return stores.steps().nextSeq(interactionId) - 1;
    }

    /** The {@code node_execution_event} of one step, for the subscribers of {@code channelKey}. */
    EncodedFrame nodeEvent(Interaction run, String graphId, Step step, String channelKey) {
        return codec.event(WsMethod.NODE_EXECUTION_EVENT, events.nodeExecutionEvent(run.userId(), graphId,
                run.interactionId(), step.nodeId(), step.status(), step.current(), step.dataJson(),
                step.workspaceFilesJson(), step.seq(), step.createTime()), channelKey);
    }

    /** The {@code graph_execution_event} of the run in {@code status}, for the subscribers of {@code channelKey}. */
    EncodedFrame statusEvent(Interaction run, String graphId, InteractionStatus status, Instant endedAt,
                             String channelKey) {
        return codec.event(WsMethod.GRAPH_EXECUTION_EVENT, events.graphExecutionEvent(run.userId(), graphId,
                run.interactionId(), status.wire(), run.createTime(), status.isFinal() ? endedAt : null), channelKey);
    }
}
