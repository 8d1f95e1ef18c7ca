package io.agentserver.service.a2a;

import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.sse.SseTicker;
import io.agentserver.service.store.A2aTaskStore;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepFeed;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.util.Set;

/**
 * Every agent of ours as an A2A 1.0 agent: builds the view's parts and registers its routes. Its streams and the
 * requests that wait are connections of their user in the replica's registry (the sockets' per-user cap; the drain
 * finishes them, and their clients resume elsewhere with {@code Last-Event-ID}).
 */
public final class A2aProtocol implements AutoCloseable {

    private final SseTicker ticker;
    private final A2aRoutes routes;

    /**
     * @param connections    the replica's connections (sockets and event streams), for the per-user cap and the drain
     * @param maxPerUser     connections one user may hold on this replica, every protocol together
     * @param agents         the agents this server runs, by name (each gets a card and an endpoint)
     * @param defaultAgent   the agent whose card is at {@code /.well-known/agent-card.json}
     */
    public A2aProtocol(A2aServerSettings settings, Stores stores, A2aTaskStore tasks, RunCoordinator runs,
                       StepFeed feed, JwtVerifier jwt, ConnectionRegistry connections, int maxPerUser,
                       Set<String> agents, String defaultAgent, A2aMetrics metrics, Clock clock) {
        this.ticker = new SseTicker(settings.keepAlive(), settings.stallTimeout());
        TaskEvents events = new TaskEvents(stores.workspace());
        TaskReader reader = new TaskReader(stores, tasks, events, defaultAgent);
        TaskWaits waits = new TaskWaits(feed);
        this.routes = new A2aRoutes(settings, agents, defaultAgent, jwt,
                new TaskSends(stores, tasks, runs, reader, waits, settings, clock),
                new TaskQueries(tasks, reader),
                new TaskControl(stores, runs, reader, events, waits, settings),
                new TaskStreams(stores, feed, reader, events, settings, ticker, jwt.expiry(), metrics),
                connections, maxPerUser, metrics);
    }

    public void http(HttpRouting.Builder http) {
        http.register("/", routes);
    }

    @Override
    public void close() {
        ticker.close();
    }
}
