package io.agentserver.service.autogpt;

import io.agentserver.service.agent.RunObserver;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

import java.time.Clock;
import java.time.Instant;

/**
 * Our runs as AutoGPT executions, published exactly as AutoGPT's executor publishes its own: a
 * {@code node_execution_update} per stored step and a {@code graph_execution_update} per status change, and a
 * notification on {@code notification_event/U} when a run finishes or fails. AutoGPT's own consumers read them, and
 * so do {@code /ws} subscribers of a graph and of a user's notifications on every replica; a {@code /ws} subscriber
 * of one of our runs reads its step log instead ({@link OwnRunView}).
 * <ul>
 *   <li>classic scheme: {@code PUBLISH execution_event/U/G/E} and {@code PUBLISH notification_event/U};</li>
 *   <li>sharded scheme: {@code SPUBLISH} of each execution event twice, to {@code execution_event/{U/G}/exec/E}
 *       and {@code execution_event/{U/G}/all}, and {@code SPUBLISH notification_event/U}.</li>
 * </ul>
 */
public final class AutoGptRunPublisher implements RunObserver {

    /** The graph id of a run whose interaction names no agent. */
    static final String DEFAULT_GRAPH_ID = "xagent";

    private final EventBroker broker;
    private final RedisChannels channels;
    private final XAgentRunEvents events;
    private final Clock clock;
    private final AutoGptBus scheme;

    public AutoGptRunPublisher(EventBroker broker, RedisChannels channels, XAgentRunEvents events, Clock clock) {
        this(broker, channels, events, clock, AutoGptBus.CLASSIC);
    }

    public AutoGptRunPublisher(EventBroker broker, RedisChannels channels, XAgentRunEvents events, Clock clock,
                               AutoGptBus scheme) {
        this.broker = broker;
        this.channels = channels;
        this.events = events;
        this.clock = clock;
        this.scheme = scheme;
    }

    @Override
    public void stepStored(Interaction interaction, Step step) {
        publishExecutionEvent(interaction, events.nodeExecutionEvent(interaction.userId(), graphId(interaction),
                interaction.interactionId(), step.nodeId(), step.status(), step.current(), step.dataJson(),
                step.workspaceFilesJson(), step.seq(), step.createTime()));
    }

    @Override
    public void statusChanged(Interaction interaction, InteractionStatus status, String message) {
        Instant endedAt = status.isFinal() ? clock.instant() : null;
        publishExecutionEvent(interaction, events.graphExecutionEvent(interaction.userId(), graphId(interaction),
                interaction.interactionId(), status.wire(), interaction.createTime(), endedAt));
        events.notification(interaction.interactionId(), status.wire(), message == null ? "" : message)
                .ifPresent(data -> {
                    String channel = channels.notificationChannel(interaction.userId());
                    String notification = "{\"payload\":{\"user_id\":" + jsonString(interaction.userId())
                            + ",\"payload\":" + data.text() + "}}";
                    if (scheme == AutoGptBus.SHARDED) {
                        broker.publishSharded(channel, notification);
                    } else {
                        broker.broadcast(channel, notification);
                    }
                });
    }

    private void publishExecutionEvent(Interaction interaction, RawJsonObject event) {
        publishExecutionEvent(interaction, envelope(event));
    }

    /** As AutoGPT's executor: classic once, sharded twice (the execution's channel, then the graph's). */
    private void publishExecutionEvent(Interaction interaction, String message) {
        if (scheme == AutoGptBus.SHARDED) {
            broker.publishSharded(executionChannel(interaction), message);
            broker.publishSharded(channels.shardedGraphChannel(interaction.userId(), graphId(interaction)), message);
        } else {
            broker.broadcast(executionChannel(interaction), message);
        }
    }

    /** The channel an execution subscriber of the run listens to, in this scheme. */
    private String executionChannel(Interaction interaction) {
        return scheme == AutoGptBus.SHARDED
                ? channels.shardedExecutionChannel(interaction.userId(), graphId(interaction), interaction.interactionId())
                : channels.executionChannel(interaction.userId(), graphId(interaction), interaction.interactionId());
    }

    private static String envelope(RawJsonObject event) {
        return "{\"payload\":" + event.text() + "}";
    }

    static String graphId(Interaction interaction) {
        String agent = interaction.agent();
        return agent == null || agent.isBlank() ? DEFAULT_GRAPH_ID : agent;
    }

    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(value, out);
        return out.append('"').toString();
    }
}
