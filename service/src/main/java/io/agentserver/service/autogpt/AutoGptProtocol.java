package io.agentserver.service.autogpt;

import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.autogpt.history.InMemoryExecutionHistory;
import io.agentserver.service.autogpt.history.RedisExecutionHistory;
import io.agentserver.service.autogpt.lookup.AutoGptDatabaseSettings;
import io.agentserver.service.autogpt.lookup.AutoGptExecutions;
import io.agentserver.service.autogpt.lookup.CachedGraphLookup;
import io.agentserver.service.autogpt.lookup.GraphLookup;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.hub.Hub;
import io.agentserver.service.hub.SocketEndpoint;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepFeed;
import io.helidon.webserver.websocket.WsRouting;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Mounts AutoGPT's subscription socket {@code /ws} (one {@link AutoGptSocket} per connection, sharing this
 * replica's {@link ExecutionFanOut} for executor events and its step feed for our own runs) and provides the run
 * observer that publishes our own runs as AutoGPT executions, in the scheme AutoGPT's executors use
 * ({@link AutoGptBus}), for AutoGPT's own consumers and graph subscribers.
 */
public final class AutoGptProtocol implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AutoGptProtocol.class.getName());

    private final AutoGptSocket.Dependencies deps;
    private final AutoGptSettings settings;
    private final Hub hub;
    private final Subscriptions subscriptions;
    private final AutoGptRunPublisher runPublisher;

    /** @param database AutoGPT's PostgreSQL, for the graph of an execution (the sharded scheme needs it) */
    public AutoGptProtocol(AutoGptSettings settings, Hub hub, JwtVerifier jwt, EventBroker broker, Clock clock,
                           Stores stores, StepFeed feed, SubscriptionSettings subscriptionSettings,
                           BrokerSettings brokerSettings, AutoGptDatabaseSettings database) {
        this.settings = settings;
        this.hub = hub;
        AutoGptBus scheme = settings.bus();
        SubscriptionCodec codec = new SubscriptionCodec();
        XAgentRunEvents runEvents = new XAgentRunEvents();
        this.runPublisher = new AutoGptRunPublisher(broker, settings.channels(), runEvents, clock, scheme);
        // one decoder for both listeners of the execution bus: each message is decoded once per replica
        BusDecoder decoder = new BusDecoder(new RedisIngest(settings.channels(), codec));
        Optional<HistoryRecorder> recorder = Optional.empty();
        if (subscriptionSettings.historyEnabled()) {
            ExecutionHistory history = brokerSettings.usesRedis()
                    ? RedisExecutionHistory.connect(brokerSettings, "agent-server-history",
                            subscriptionSettings.historyMaxLength(), subscriptionSettings.historyTtl())
                    : new InMemoryExecutionHistory(subscriptionSettings.historyMaxLength(),
                            subscriptionSettings.historyTtl(), subscriptionSettings.historyMaxExecutions(), clock);
            recorder = Optional.of(new HistoryRecorder(broker, settings.channels(), decoder, history, scheme,
                    subscriptionSettings.historyLinger()).start());
        }
        ExecutionWatchers watchers = recorder.<ExecutionWatchers>map(r -> r).orElse(ExecutionWatchers.NONE);
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, settings.channels(), decoder, hub.metrics(), scheme,
                watchers);
        Optional<GraphLookup> lookup = Optional.empty();
        if (database.configured()) {
            lookup = Optional.of(new CachedGraphLookup(new AutoGptExecutions(database), database));
            LOG.log(Level.INFO, "AutoGPT graph lookup url=" + database.safeUrl() + " schema=" + database.schema());
        }
        ExecutionDirectory directory = new ExecutionDirectory(scheme, stores.interactions(), lookup);
        this.subscriptions = new Subscriptions(subscriptionSettings, fanOut, codec,
                new OwnRuns(stores, runEvents, codec), feed, recorder, directory, hub.metrics(), clock);
        this.deps = new AutoGptSocket.Dependencies(jwt, fanOut, codec, subscriptions);
        LOG.log(Level.INFO, "AutoGPT bus scheme=" + scheme.name().toLowerCase(Locale.ROOT));
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
