package io.agentserver.service.agui;

import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.PartialOutputFeed;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.sse.SseTicker;
import io.agentserver.service.store.Database;
import io.agentserver.service.stream.StepFeed;
import io.helidon.webserver.http.HttpRouting;
import io.agentserver.service.observe.ServiceMetrics;

import java.time.Clock;

/** The AG-UI view of the runs: its routes, its streams' timer and metrics. */
public final class AguiProtocol implements AutoCloseable {

    private final SseTicker ticker;
    private final AguiRoutes routes;

    public AguiProtocol(AguiSettings settings, HubSettings hub, ConnectionRegistry connections, JwtVerifier jwt,
                        AgentCatalog agents, Database database, RunCoordinator runs, StepFeed feed,
                        PartialOutputFeed partialFeed, ServiceMetrics metrics, Clock clock) {
        this.ticker = new SseTicker(settings.keepAlive(), settings.stallTimeout());
        AguiStreams streams = new AguiStreams(connections, hub.maxConnectionsPerUser(), feed, partialFeed,
                database.partials(), ticker, settings, new AguiMetrics(metrics.registry()), metrics);
        this.routes = new AguiRoutes(jwt, agents, name -> agents.resolve(name).streamsOutput(), database.stores(),
                database.aguiRuns(), runs, streams, settings, clock);
    }

    public void http(HttpRouting.Builder routing) {
        routing.register(routes);
    }

    @Override
    public void close() {
        ticker.close();
    }
}
