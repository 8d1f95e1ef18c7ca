package io.agentserver.service.autogpt;

import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.store.Stores;
import io.agentserver.service.web.OriginPolicy;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Clock;

/**
 * Mounts AutoGPT's subscription socket {@code /ws} (one {@link AutoGptSocket} per connection, sharing this
 * replica's {@link ExecutionFanOut}) and provides the run observer that publishes our own runs as AutoGPT
 * executions.
 */
public final class AutoGptProtocol {

    private final AutoGptSocket.Dependencies deps;
    private final AutoGptRunPublisher runPublisher;

    public AutoGptProtocol(AutoGptSettings settings, HubSettings hub, JwtVerifier jwt, EventBroker broker,
                           ConnectionRegistry registry, ServiceMetrics metrics, OriginPolicy origins, Clock clock,
                           Stores stores) {
        SubscriptionCodec codec = new SubscriptionCodec();
        this.runPublisher = new AutoGptRunPublisher(broker, settings.channels(), new XAgentRunEvents(), clock);
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, settings.channels(), codec, metrics,
                new StoreRunHistory(stores, runPublisher));
        this.deps = new AutoGptSocket.Dependencies(settings, hub, jwt, fanOut, codec, registry, metrics, origins, clock);
    }

    public void websockets(WsRouting.Builder routing) {
        routing.endpoint("/ws", () -> new AutoGptSocket(deps));
    }

    /** Publishes every step and status change of this replica's runs as AutoGPT execution events. */
    public AutoGptRunPublisher runPublisher() {
        return runPublisher;
    }
}
