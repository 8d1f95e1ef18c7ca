package io.agentserver.service.autogpt;

import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.OutboundWriter;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;
import io.agentserver.service.stream.StepSink;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * One {@code /ws} subscription to one of our own runs, as a view of its step log: a {@code node_execution_event}
 * per step, a {@code graph_execution_event} per status change after the steps before it. With {@code since} (the
 * recovery extension) it sends every step after the cursor, each with its {@code event_id} ({@code seq + 1}), then
 * the run's current status, then live events: the store keeps every step, so recovery is always complete. Steps
 * are queued only as fast as the socket's writer has room.
 */
final class OwnRunView implements StepSink {

    private final ConnectionSession session;
    private final OwnRuns runs;
    private final Interaction run;
    private final String channelKey;
    private final SubscriptionCodec codec;
    private final Optional<Long> since;
    private final Clock clock;
    /** The subscribe ack of a live subscription, sent where the cursor starts; null once sent. */
    private EncodedFrame ackAtStart;
    /** The run's graph, known once a run started on the interaction; null until then. */
    private volatile String graphId;

    /**
     * @param since      the first seq the client has not seen, when it asked for recovery
     * @param ackAtStart sent once the cursor knows where it starts, before anything else of the run
     */
    OwnRunView(ConnectionSession session, OwnRuns runs, Interaction run, String channelKey, SubscriptionCodec codec,
               Optional<Long> since, Clock clock, Optional<EncodedFrame> ackAtStart) {
        this.ackAtStart = ackAtStart.orElse(null);
        this.session = session;
        this.runs = runs;
        this.run = run;
        this.channelKey = channelKey;
        this.codec = codec;
        this.since = since;
        this.clock = clock;
        this.graphId = runs.graphOf(run).orElse(null);
    }

    @Override
    public void started(LogHead head) {
        sendAck();
    }

    /** The interaction was deleted before the cursor first read it: the subscription stands, empty, as AutoGPT's. */
    @Override
    public void ended() {
        sendAck();
    }

    private void sendAck() {
        if (ackAtStart != null) {
            session.send(ackAtStart.frame());
            ackAtStart = null;
        }
    }

    /** A step before the graph is known waits for it: the graph is read on the connection's work, never here. */
    @Override
    public boolean offer(Step step) {
        String graph = graphId;
        if (graph == null) {
            return false;
        }
        EncodedFrame frame = runs.nodeEvent(run, graph, step, channelKey);
        if (since.isPresent()) {
            frame = SubscriptionCodec.withEventId(frame, String.valueOf(step.seq() + 1));
        }
        return session.offer(frame.frame(), -1, step.createTime().toEpochMilli()) != OutboundWriter.Offer.NO_ROOM;
    }

    @Override
    public void whenRoom(Runnable resume) {
        if (graphId == null) {
            session.work().execute(() -> {
                resolveGraph();
                resume.run();
            });
        } else {
            session.whenDrained(resume);
        }
    }

    /**
     * A run that had ended when the subscription began ended at its last update; a live one ends now. A status
     * that comes before the graph is known is sent from the connection's work, ahead of the steps that follow it.
     */
    @Override
    public void status(InteractionStatus status) {
        Instant endedAt = run.status().isFinal() ? run.updateTime() : clock.instant();
        String graph = graphId;
        if (graph != null) {
            session.send(runs.statusEvent(run, graph, status, endedAt, channelKey).frame());
            return;
        }
        session.work().execute(() -> {
            resolveGraph();
            session.send(runs.statusEvent(run, graphId == null ? AutoGptRunPublisher.graphId(run) : graphId, status,
                    endedAt, channelKey).frame());
        });
    }

    /** On the connection's work. */
    private void resolveGraph() {
        if (graphId == null) {
            graphId = runs.graphOf(run.interactionId()).orElse(null);
        }
    }
}
