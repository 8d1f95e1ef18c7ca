package io.agentserver.service.a2a;

import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.store.A2aTaskStore;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepFeed;
import io.agentserver.service.web.sse.SseWatchdog;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.util.Set;

/**
 * Every agent of ours as an A2A 1.0 agent: builds the view's parts and registers its routes. Closing it (when the
 * server drains) refuses new streams and blocking sends and ends the open ones; their clients resume elsewhere
 * with {@code Last-Event-ID}.
 */
public final class A2aProtocol implements AutoCloseable {

    private final OpenRequests open;
    private final SseWatchdog watchdog;
    private final A2aRoutes routes;

    /**
     * @param agents       the agents this server runs, by name (each gets a card and an endpoint)
     * @param defaultAgent the agent whose card is at {@code /.well-known/agent-card.json}
     */
    public A2aProtocol(A2aServerSettings settings, Stores stores, A2aTaskStore tasks, RunCoordinator runs,
                       StepFeed feed, JwtVerifier jwt, Set<String> agents, String defaultAgent, A2aMetrics metrics,
                       Clock clock) {
        this.open = new OpenRequests(settings.maxOpenPerUser());
        this.watchdog = new SseWatchdog(settings.writeTimeout());
        TaskEvents events = new TaskEvents(stores.workspace());
        TaskReader reader = new TaskReader(stores, tasks, events, defaultAgent);
        TaskWaits waits = new TaskWaits(feed);
        this.routes = new A2aRoutes(settings, agents, defaultAgent, jwt,
                new TaskSends(stores, tasks, runs, reader, waits, settings, clock),
                new TaskQueries(tasks, reader),
                new TaskControl(stores, runs, reader, events, waits, settings),
                new TaskStreams(stores, feed, reader, events, settings, watchdog, jwt.expiry(), metrics),
                open, metrics);
    }

    public void http(HttpRouting.Builder http) {
        http.register("/", routes);
    }

    /** Open streams and blocking sends on this replica. */
    public int openRequests() {
        return open.count();
    }

    @Override
    public void close() {
        open.close();
        watchdog.close();
    }
}
