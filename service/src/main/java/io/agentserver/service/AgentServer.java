package io.agentserver.service;

import io.agentserver.service.a2a.A2aProtocol;
import io.agentserver.service.a2a.A2aServerSettings;
import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.LocalEventFeed;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.agent.RunSettings;
import io.agentserver.service.agent.StepLog;
import io.agentserver.service.agent.demo.DemoAgent;
import io.agentserver.service.agent.llm.LlmAgent;
import io.agentserver.service.agent.llm.LlmSettings;
import io.agentserver.service.agent.a2a.A2aAgent;
import io.agentserver.service.agent.a2a.A2aSettings;
import io.agentserver.service.agent.protocol.AgentProtocolAgent;
import io.agentserver.service.agent.protocol.AgentProtocolSettings;
import io.agentserver.service.agent.recording.RecordingAgent;
import io.agentserver.service.agent.recording.RecordingAccess;
import io.agentserver.service.agent.recording.Recordings;
import io.agentserver.service.auth.AuthSettings;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.autogpt.AutoGptProtocol;
import io.agentserver.service.autogpt.AutoGptSettings;
import io.agentserver.service.autogpt.SubscriptionSettings;
import io.agentserver.service.autogpt.lookup.AutoGptDatabaseSettings;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.EventBrokers;
import io.agentserver.service.bus.PublishRetrySettings;
import io.agentserver.service.agent.LiveOutputSettings;
import io.agentserver.service.agent.PartialOutputFeed;
import io.agentserver.service.agent.PartialOutputLog;
import io.agentserver.service.agui.AguiProtocol;
import io.agentserver.service.agui.AguiSettings;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.Hub;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.hub.LivenessMonitor;
import io.agentserver.service.observe.A2aServerMetrics;
import io.agentserver.service.observe.AgentTelemetryMetrics;
import io.agentserver.service.observe.DependencyHealth;
import io.agentserver.service.observe.HealthCheck;
import io.agentserver.service.observe.HealthSettings;
import io.agentserver.service.observe.QuotaTelemetryMetrics;
import io.agentserver.service.observe.ObserveRoutes;
import io.agentserver.service.observe.RunMetricsObserver;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.quota.QuotaSettings;
import io.agentserver.service.quota.RunAdmission;
import io.agentserver.service.quota.TokenLedger;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.stream.StepFeed;
import io.agentserver.service.stream.StreamSettings;
import io.agentserver.service.web.OriginPolicy;
import io.agentserver.service.xagent.KeepAlive;
import io.agentserver.service.xagent.PlaybackTimer;
import io.agentserver.service.xagent.XAgentDependencies;
import io.agentserver.service.xagent.XAgentProtocol;
import io.agentserver.service.xagent.XAgentSettings;
import io.agentserver.service.xagent.XAgentUsers;
import io.agentserver.service.xagent.http.Envelope;
import io.agentserver.service.xagent.http.HttpProblem;
import io.agentserver.service.xagent.http.UploadSettings;
import io.helidon.config.Config;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One running agent server: builds every part from configuration, wires the routes and starts the web
 * server. Tests start several in one JVM to play replicas.
 */
public final class AgentServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());

    private final List<AutoCloseable> parts;
    private final ConnectionRegistry connections;
    private final RunCoordinator runs;
    private final WebServer server;
    private final Duration drainTimeout;

    private AgentServer(List<AutoCloseable> parts, ConnectionRegistry connections, RunCoordinator runs,
                        WebServer server, Duration drainTimeout) {
        this.parts = parts;
        this.connections = connections;
        this.runs = runs;
        this.server = server;
        this.drainTimeout = drainTimeout;
    }

    public static AgentServer start(Config config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * Starts with the broker the configuration asks for, as seen through {@code brokerView} (tests use it to
     * lose messages on purpose).
     */
    public static AgentServer start(Config config, UnaryOperator<EventBroker> brokerView) {
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> parts = new ArrayList<>();
        RunSettings runSettings = RunSettings.from(config);
        XAgentSettings xagentSettings = XAgentSettings.from(config);
        HubSettings hubSettings = HubSettings.from(config);
        ConnectionRegistry connections = new ConnectionRegistry();
        RunCoordinator[] runsRef = new RunCoordinator[1];
        ServiceMetrics metrics = new ServiceMetrics(connections, () -> runsRef[0] == null ? 0 : runsRef[0].activeRuns());
        Recordings recordings = new Recordings(xagentSettings.recordingsDir());
        QuotaSettings quota = QuotaSettings.from(config);

        Database database = Database.open(DatabaseSettings.from(config));
        parts.add(database);
        TokenLedger ledger = new TokenLedger(quota, database.usage(), new QuotaTelemetryMetrics(metrics), clock);
        AgentCatalog agents = agents(config, runSettings, xagentSettings, recordings,
                new RecordingAccess(database.stores().interactions()), metrics, ledger, parts);
        EventBroker broker = brokerView.apply(
                EventBrokers.create(BrokerSettings.from(config), PublishRetrySettings.from(config)));
        parts.add(broker);
        metrics.broker(broker::stats);
        JwtVerifier jwt = JwtVerifier.create(AuthSettings.from(config));
        parts.add(jwt);
        announceDevelopmentToken(config, jwt);

        AutoGptSettings autogptSettings = AutoGptSettings.from(config);
        LivenessMonitor liveness = new LivenessMonitor(LivenessMonitor.tickFor(
                min(xagentSettings.pingInterval(), autogptSettings.pingInterval())));
        parts.add(liveness);
        Hub hub = new Hub(hubSettings, connections, liveness, metrics, OriginPolicy.from(config));
        LocalEventFeed localEvents = new LocalEventFeed();
        StepFeed feed = new StepFeed(database.stores(), broker, localEvents, StreamSettings.from(config));
        parts.add(feed);
        AutoGptProtocol autogpt = new AutoGptProtocol(autogptSettings, hub, jwt, broker, clock,
                database.stores(), feed, SubscriptionSettings.from(config), BrokerSettings.from(config),
                AutoGptDatabaseSettings.from(config));
        parts.add(autogpt);
        PartialOutputFeed partialFeed = new PartialOutputFeed(broker);
        PartialOutputLog partials = new PartialOutputLog(database.partials(), partialFeed,
                LiveOutputSettings.from(config), clock);
        parts.add(partials);
        StepLog stepLog = new StepLog(database.stores(), broker, localEvents,
                List.of(new RunMetricsObserver(metrics, agents), autogpt.runPublisher()), clock,
                runSettings.maxStepBytes(), partials);
        RunAdmission admission = new RunAdmission(quota, database.usage(), agents, new QuotaTelemetryMetrics(metrics),
                clock);
        RunCoordinator runs = new RunCoordinator(runSettings, database.stores(), broker, agents, stepLog, admission)
                .startMaintenance();
        runsRef[0] = runs;
        KeepAlive keepAlive = new KeepAlive(xagentSettings.pongInterval());
        parts.add(keepAlive);
        PlaybackTimer playback = new PlaybackTimer();
        parts.add(playback);

        XAgentDependencies xagent = new XAgentDependencies(database.stores(), runs, feed,
                new XAgentUsers(database.stores().users(), jwt, clock), xagentSettings, keepAlive, playback, metrics,
                clock);
        XAgentProtocol xagentProtocol = new XAgentProtocol(xagent, hub, recordings, UploadSettings.from(config));
        A2aProtocol a2a = new A2aProtocol(A2aServerSettings.from(config), database.stores(), database.a2aTasks(), runs,
                feed, jwt, connections, hubSettings.maxConnectionsPerUser(), agents.names(), runSettings.defaultAgent(),
                new A2aServerMetrics(metrics), clock);
        parts.add(a2a);

        HttpRouting.Builder http = HttpRouting.builder();
        hub.origins().cors().ifPresent(http::register);
        http.register("/", new ObserveRoutes(new DependencyHealth(List.of(
                new HealthCheck("database", database::isHealthy),
                new HealthCheck("broker", broker::isHealthy)), HealthSettings.from(config), clock, metrics.registry()),
                metrics));
        xagentProtocol.http(http);
        a2a.http(http);
        AguiProtocol agui = new AguiProtocol(AguiSettings.from(config), hubSettings, connections, jwt, agents, database,
                runs, feed, partialFeed, metrics, clock);
        parts.add(agui);
        agui.http(http);
        errorHandlers(http);
        WsRouting.Builder ws = WsRouting.builder();
        xagentProtocol.websockets(ws);
        autogpt.websockets(ws);

        WebServer server = WebServer.builder()
                .config(config.get("server"))
                // Helidon's own hook would stop the listeners at SIGTERM while our drain is still closing sockets
                // with 1001: those clients would see 1006. Main's hook runs the drain, which stops the server last.
                .shutdownHook(false)
                .routing(http)
                .addRouting(ws)
                .build()
                .start();
        LOG.log(Level.INFO, "agent server started port=" + server.port() + " replica=" + runSettings.replicaId());
        return new AgentServer(parts, connections, runs, server, hubSettings.drainTimeout());
    }

    /**
     * The agents this server runs; the LLM agent joins when a model is configured. A default agent that names no
     * agent stops the start: every part opened so far is closed again.
     */
    private static AgentCatalog agents(Config config, RunSettings runSettings, XAgentSettings xagentSettings,
                                       Recordings recordings, RecordingAccess access, ServiceMetrics metrics,
                                       TokenLedger ledger, List<AutoCloseable> parts) {
        List<Agent> agents = new ArrayList<>(List.of(new DemoAgent(),
                new RecordingAgent(recordings, access, xagentSettings.recorderDelay())));
        AgentTelemetryMetrics telemetry = new AgentTelemetryMetrics(metrics);
        List<AgentProtocolAgent> remote = AgentProtocolAgent.all(AgentProtocolSettings.from(config), telemetry);
        parts.addAll(remote);
        agents.addAll(remote);
        List<A2aAgent> a2a = A2aAgent.all(A2aSettings.from(config), telemetry);
        parts.addAll(a2a);
        agents.addAll(a2a);
        LlmSettings llm = LlmSettings.from(config);
        if (llm.enabled()) {
            LlmAgent agent = new LlmAgent(llm, telemetry, ledger);
            parts.add(agent);
            agents.add(agent);
            LOG.log(Level.INFO, "llm agent registered " + llm);
        }
        try {
            return new AgentCatalog(agents, runSettings.defaultAgent());
        } catch (IllegalArgumentException e) {
            parts.forEach(AgentServer::closeQuietly);
            throw e;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing " + part.getClass().getSimpleName() + " failed: " + e);
        }
    }

    public int port() {
        return server.port();
    }

    /**
     * Drains within the configured timeout: refuses new sockets, tells every open socket 1001 "going away"
     * after its queued frames (a socket whose close does not complete within the close grace is dropped),
     * waits for them to end, then ends this replica's runs (each with a final step in the store, where a
     * client that reconnects to another replica finds it), stops the server and closes database and broker.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        long deadline = started + drainTimeout.toNanos();
        connections.closeAll(CloseCodes.GOING_AWAY, ConnectionRegistry.GOING_AWAY_REASON);
        while (!connections.all().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = connections.all().size();
        Thread stopping = Thread.ofVirtual().name("drain-runs").start(runs::close);
        try {
            stopping.join(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofMillis(500).toNanos())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + parts.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        LOG.log(Level.INFO, "agent server stopped drain_ms=" + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + (left == 0 ? "" : " sockets_not_drained=" + left));
    }

    private static void errorHandlers(HttpRouting.Builder http) {
        http.error(HttpProblem.class, (req, res, problem) -> Envelope.problem(res, problem));
        http.error(HttpException.class, (req, res, e) ->
                Envelope.send(res, e.status().code(), null, false, e.status().reasonPhrase()));
        http.error(Exception.class, (req, res, e) -> {
            LOG.log(Level.ERROR, "request failed " + req.prologue().method() + " " + req.path().path(), e);
            Envelope.send(res, 500, null, false, "internal server error");
        });
    }

    private static void announceDevelopmentToken(Config config, JwtVerifier jwt) {
        if (AuthSettings.from(config).secretGenerated()) {
            jwt.issueDevelopmentToken("guest", Duration.ofDays(1)).ifPresent(token -> LOG.log(Level.WARNING,
                    "no AUTH_JWT_SECRET configured: generated one for this process; development token for user"
                            + " guest (valid 24 h): " + token));
        }
    }
}
