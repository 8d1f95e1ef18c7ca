package io.agentserver.service;

import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.agent.RunSettings;
import io.agentserver.service.agent.StepLog;
import io.agentserver.service.agent.demo.DemoAgent;
import io.agentserver.service.agent.recording.RecordingAgent;
import io.agentserver.service.agent.recording.Recordings;
import io.agentserver.service.auth.AuthSettings;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.autogpt.AutoGptProtocol;
import io.agentserver.service.autogpt.AutoGptSettings;
import io.agentserver.service.autogpt.SubscriptionSettings;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.EventBrokers;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.HealthCheck;
import io.agentserver.service.observe.ObserveRoutes;
import io.agentserver.service.observe.RunMetricsObserver;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.web.OriginPolicy;
import io.agentserver.service.xagent.KeepAlive;
import io.agentserver.service.xagent.StoreDeliveryCursor;
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

/**
 * One running agent server: builds every part from configuration, wires the routes and starts the web
 * server. Tests start several in one JVM to play replicas.
 */
public final class AgentServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> parts;
    private final ConnectionRegistry connections;
    private final RunCoordinator runs;
    private final WebServer server;

    private AgentServer(List<AutoCloseable> parts, ConnectionRegistry connections, RunCoordinator runs,
                        WebServer server) {
        this.parts = parts;
        this.connections = connections;
        this.runs = runs;
        this.server = server;
    }

    public static AgentServer start(Config config) {
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> parts = new ArrayList<>();
        Database database = Database.open(DatabaseSettings.from(config));
        parts.add(database);
        EventBroker broker = EventBrokers.create(BrokerSettings.from(config));
        parts.add(broker);
        JwtVerifier jwt = JwtVerifier.create(AuthSettings.from(config));
        announceDevelopmentToken(config, jwt);

        RunSettings runSettings = RunSettings.from(config);
        XAgentSettings xagentSettings = XAgentSettings.from(config);
        ConnectionRegistry connections = new ConnectionRegistry();
        Recordings recordings = new Recordings(xagentSettings.recordingsDir());
        AgentCatalog agents = new AgentCatalog(List.of(new DemoAgent(),
                new RecordingAgent(recordings, xagentSettings.recorderDelay())), runSettings.defaultAgent());

        RunCoordinator[] runsRef = new RunCoordinator[1];
        ServiceMetrics metrics = new ServiceMetrics(connections, () -> runsRef[0] == null ? 0 : runsRef[0].activeRuns());
        OriginPolicy origins = OriginPolicy.from(config);
        AutoGptProtocol autogpt = new AutoGptProtocol(AutoGptSettings.from(config), jwt, broker, connections, metrics,
                origins, clock, database.stores(), SubscriptionSettings.from(config), BrokerSettings.from(config));
        parts.add(autogpt);
        StepLog stepLog = new StepLog(database.stores(), broker,
                List.of(new RunMetricsObserver(metrics), autogpt.runPublisher()), clock);
        RunCoordinator runs = new RunCoordinator(runSettings, database.stores(), broker, agents, stepLog, clock)
                .startMaintenance();
        runsRef[0] = runs;
        KeepAlive keepAlive = new KeepAlive(xagentSettings.pongInterval());
        parts.add(keepAlive);

        XAgentDependencies xagent = new XAgentDependencies(database.stores(), broker, runs,
                new XAgentUsers(database.stores().users(), jwt, clock), xagentSettings, connections, keepAlive,
                new StoreDeliveryCursor(database.stores().interactions()), metrics, origins, clock);
        XAgentProtocol xagentProtocol = new XAgentProtocol(xagent, recordings, UploadSettings.from(config));

        HttpRouting.Builder http = HttpRouting.builder();
        origins.cors().ifPresent(http::register);
        http.register("/", new ObserveRoutes(List.of(
                new HealthCheck("database", database::isHealthy),
                new HealthCheck("broker", broker::isHealthy)), metrics));
        xagentProtocol.http(http);
        errorHandlers(http);
        WsRouting.Builder ws = WsRouting.builder();
        xagentProtocol.websockets(ws);
        autogpt.websockets(ws);

        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .routing(http)
                .addRouting(ws)
                .build()
                .start();
        LOG.log(Level.INFO, "agent server started port=" + server.port() + " replica=" + runSettings.replicaId());
        return new AgentServer(parts, connections, runs, server);
    }

    public int port() {
        return server.port();
    }

    /**
     * Drains: ends this replica's runs with a final frame, tells every client 1001 "going away" after its
     * queued frames, then stops the server and closes the database and broker.
     */
    @Override
    public void close() {
        runs.close();
        connections.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!connections.all().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop();
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + parts.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        LOG.log(Level.INFO, "agent server stopped");
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
