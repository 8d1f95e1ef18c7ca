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
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.store.Stores;
import io.agentserver.service.web.OriginPolicy;
import io.helidon.webserver.websocket.WsRouting;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Optional;

/**
 * Mounts AutoGPT's subscription socket {@code /ws} (one {@link AutoGptSocket} per connection, sharing this
 * replica's {@link ExecutionFanOut}) and provides the run observer that publishes our own runs as AutoGPT
 * executions, in the scheme AutoGPT's executors use ({@link AutoGptBus}).
 */
public final class AutoGptProtocol implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AutoGptProtocol.class.getName());

    private final AutoGptSocket.Dependencies deps;
    private final Subscriptions subscriptions;
    private final AutoGptRunPublisher runPublisher;

    public AutoGptProtocol(AutoGptSettings settings, HubSettings hub, JwtVerifier jwt, EventBroker broker,
                           ConnectionRegistry registry, ServiceMetrics metrics, OriginPolicy origins, Clock clock,
                           Stores stores, SubscriptionSettings subscriptionSettings, BrokerSettings brokerSettings) {
        this(settings, hub, jwt, broker, registry, metrics, origins, clock, stores, subscriptionSettings, brokerSettings,
                AutoGptDatabaseSettings.none());
    }

    /** @param database AutoGPT's PostgreSQL, for the graph of an execution (the sharded scheme needs it) */
    public AutoGptProtocol(AutoGptSettings settings, HubSettings hub, JwtVerifier jwt, EventBroker broker,
                           ConnectionRegistry registry, ServiceMetrics metrics, OriginPolicy origins, Clock clock,
                           Stores stores, SubscriptionSettings subscriptionSettings, BrokerSettings brokerSettings,
                           AutoGptDatabaseSettings database) {
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
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, settings.channels(), decoder, metrics,
                new StoreRunHistory(stores, runPublisher), scheme, watchers);
        Optional<GraphLookup> lookup = Optional.empty();
        if (database.configured()) {
            lookup = Optional.of(new CachedGraphLookup(new AutoGptExecutions(database), database));
            LOG.log(Level.INFO, "AutoGPT graph lookup url=" + database.safeUrl() + " schema=" + database.schema());
        }
        ExecutionDirectory directory = new ExecutionDirectory(scheme, stores.interactions(), lookup);
        this.subscriptions = new Subscriptions(subscriptionSettings, fanOut, codec,
                new OwnRunReplay(stores, runEvents, codec), recorder, directory);
        this.deps = new AutoGptSocket.Dependencies(settings, hub, jwt, fanOut, codec, registry, metrics, origins, clock,
                subscriptions);
        LOG.log(Level.INFO, "AutoGPT bus scheme=" + scheme.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Stops recording executor events. */
    @Override
    public void close() {
        subscriptions.close();
    }

    public void websockets(WsRouting.Builder routing) {
        routing.endpoint("/ws", () -> new AutoGptSocket(deps));
    }

    /** Publishes every step and status change of this replica's runs as AutoGPT execution events. */
    public AutoGptRunPublisher runPublisher() {
        return runPublisher;
    }
}
