package io.agentserver.service.autogpt;

import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.autogpt.history.InMemoryExecutionHistory;
import io.agentserver.service.autogpt.history.RedisExecutionHistory;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.RedisUris;
import io.agentserver.service.hub.Hub;
import io.agentserver.service.hub.SocketEndpoint;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepFeed;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Clock;
import java.util.Optional;

/**
 * Mounts AutoGPT's subscription socket {@code /ws} (one {@link AutoGptSocket} per connection, sharing this
 * replica's {@link ExecutionFanOut} for executor events and its step feed for our own runs) and provides the run
 * observer that publishes our own runs as AutoGPT executions, for AutoGPT's own consumers and graph subscribers.
 */
public final class AutoGptProtocol implements AutoCloseable {

    private final AutoGptSocket.Dependencies deps;
    private final AutoGptSettings settings;
    private final Hub hub;
    private final Subscriptions subscriptions;
    private final AutoGptRunPublisher runPublisher;

    public AutoGptProtocol(AutoGptSettings settings, Hub hub, JwtVerifier jwt, EventBroker broker, Clock clock,
                           Stores stores, StepFeed feed, SubscriptionSettings subscriptionSettings,
                           BrokerSettings brokerSettings) {
        this.settings = settings;
        this.hub = hub;
        SubscriptionCodec codec = new SubscriptionCodec();
        XAgentRunEvents runEvents = new XAgentRunEvents();
        this.runPublisher = new AutoGptRunPublisher(broker, settings.channels(), runEvents, clock);
        // one decoder for both listeners of the execution bus: each message is decoded once per replica
        BusDecoder decoder = new BusDecoder(new RedisIngest(settings.channels(), codec));
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, settings.channels(), decoder, hub.metrics());
        Optional<HistoryRecorder> recorder = Optional.empty();
        if (subscriptionSettings.historyEnabled()) {
            ExecutionHistory history = brokerSettings.redisUri()
                    .<ExecutionHistory>map(uri -> new RedisExecutionHistory(
                            RedisUris.forClient(uri, brokerSettings, "agent-server-history"),
                            subscriptionSettings.historyMaxLength(), subscriptionSettings.historyTtl()))
                    .orElseGet(() -> new InMemoryExecutionHistory(subscriptionSettings.historyMaxLength(),
                            subscriptionSettings.historyTtl(), subscriptionSettings.historyMaxExecutions(), clock));
            recorder = Optional.of(new HistoryRecorder(broker, settings.channels(), decoder, history).start());
        }
        this.subscriptions = new Subscriptions(subscriptionSettings, fanOut, codec,
                new OwnRuns(stores, runEvents, codec), feed, recorder, hub.metrics(), clock);
        this.deps = new AutoGptSocket.Dependencies(jwt, fanOut, codec, subscriptions);
    }

    /** Stops recording executor events. */
    @Override
    public void close() {
        subscriptions.close();
    }

    public void websockets(WsRouting.Builder routing) {
        routing.endpoint("/ws", SocketEndpoint.of(settings.socket(), hub, request -> new AutoGptSocket(deps, request)));
    }

    /** Publishes every step and status change of this replica's runs as AutoGPT execution events. */
    public AutoGptRunPublisher runPublisher() {
        return runPublisher;
    }
}
