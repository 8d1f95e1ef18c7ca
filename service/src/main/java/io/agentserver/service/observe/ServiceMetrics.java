package io.agentserver.service.observe;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.Protocol;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Every metric the service exports, registered once per server instance (never in a global registry). */
public final class ServiceMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ConnectionRegistry connections;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter refusedHandshakes;
    private final Counter slowConsumerCloses;
    private final Counter limitsExceeded;
    private final Counter busReceived;
    private final Counter busDropped;
    private final Counter runsEnded;
    private final Counter stepsStored;
    private final Counter runsReaped;
    private final Histogram stepLatency;
    private final Counter unresponsiveDrops;
    private final Histogram modelRequestSeconds;
    private final Counter modelTokens;
    private final Counter upstreamErrors;
    private final Counter a2aRequests;
    private final Gauge a2aStreamsOpen;
    private final Counter a2aStreams;
    private final Counter a2aStreamEvents;
    private final Counter tokensSpent;
    private final Counter runsRefused;
    /** Label children of the per-frame metrics, looked up once: the hot path does no label lookup. */
    private final CounterDataPoint[] framesOutByProtocol;
    private final DistributionDataPoint[] stepLatencyByProtocol;

    public ServiceMetrics(ConnectionRegistry connections, IntSupplier activeRuns) {
        this.connections = connections;
        GaugeWithCallback.builder()
                .name("agentserver_connections")
                .help("Open WebSocket connections on this replica")
                .labelNames("protocol")
                .callback(cb -> {
                    for (Protocol p : Protocol.values()) {
                        cb.call(connections.count(p), p.label());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("agentserver_runs_active")
                .help("Runs executing on this replica")
                .callback(cb -> cb.call(activeRuns.getAsInt()))
                .register(registry);
        framesIn = Counter.builder().name("agentserver_frames_in_total")
                .help("WebSocket messages received").labelNames("protocol").register(registry);
        framesOut = Counter.builder().name("agentserver_frames_out_total")
                .help("WebSocket messages sent").labelNames("protocol").register(registry);
        refusedHandshakes = Counter.builder().name("agentserver_handshakes_refused_total")
                .help("Connections refused after the upgrade, by reason").labelNames("protocol", "reason")
                .register(registry);
        slowConsumerCloses = Counter.builder().name("agentserver_slow_consumer_closes_total")
                .help("Connections closed because their outbound queue overflowed").labelNames("protocol")
                .register(registry);
        unresponsiveDrops = Counter.builder().name("agentserver_unresponsive_drops_total")
                .help("Connections dropped because their peer stopped answering pings (gone, or not reading)")
                .labelNames("protocol").register(registry);
        limitsExceeded = Counter.builder().name("agentserver_connection_limits_exceeded_total")
                .help("Connections refused or closed over a limit, by limit").labelNames("protocol", "limit")
                .register(registry);
        busReceived = Counter.builder().name("agentserver_bus_messages_received_total")
                .help("Broker messages received, by source").labelNames("source").register(registry);
        busDropped = Counter.builder().name("agentserver_bus_messages_dropped_total")
                .help("Broker messages dropped, by reason").labelNames("reason").register(registry);
        runsEnded = Counter.builder().name("agentserver_runs_total")
                .help("Runs that ended on this replica, by agent and final status").labelNames("agent", "status")
                .register(registry);
        stepsStored = Counter.builder().name("agentserver_steps_total")
                .help("Steps the runs of this replica stored, by agent and step status").labelNames("agent", "status")
                .register(registry);
        modelRequestSeconds = Histogram.builder().name("agentserver_model_request_seconds")
                .help("Duration of answered model requests, by agent").labelNames("agent")
                .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120)
                .register(registry);
        modelTokens = Counter.builder().name("agentserver_model_tokens_total")
                .help("Tokens model requests used, by agent and kind (prompt, completion)").labelNames("agent", "kind")
                .register(registry);
        upstreamErrors = Counter.builder().name("agentserver_agent_upstream_errors_total")
                .help("Failed or unusable answers of the services agents call, by agent and kind")
                .labelNames("agent", "kind").register(registry);
        a2aRequests = Counter.builder().name("agentserver_a2a_requests_total")
                .help("A2A JSON-RPC requests answered, by method and outcome (ok, stream, or the error code)")
                .labelNames("method", "outcome").register(registry);
        a2aStreamsOpen = Gauge.builder().name("agentserver_a2a_streams_open")
                .help("A2A task streams (SSE) open on this replica").register(registry);
        a2aStreams = Counter.builder().name("agentserver_a2a_streams_total")
                .help("A2A task streams that ended, by how (completed, gone, slow, aborted)")
                .labelNames("end").register(registry);
        a2aStreamEvents = Counter.builder().name("agentserver_a2a_stream_events_total")
                .help("A2A task events queued for stream clients").register(registry);
        tokensSpent = Counter.builder().name("agentserver_tokens_spent_total")
                .help("Model tokens runs spent, by agent, user class (guest, user) and kind (prompt, completion)")
                .labelNames("agent", "user_class", "kind").register(registry);
        runsRefused = Counter.builder().name("agentserver_runs_refused_total")
                .help("Run starts refused by a per-user limit, by limit").labelNames("limit").register(registry);
        runsReaped = Counter.builder().name("agentserver_runs_reaped_total")
                .help("Runs this replica's lease reaper ended as failed because their replica stopped renewing")
                .register(registry);
        stepLatency = Histogram.builder().name("agentserver_step_latency_seconds")
                .help("Time from a step being emitted to its frame being written to a socket")
                .labelNames("protocol")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        Protocol[] protocols = Protocol.values();
        framesOutByProtocol = new CounterDataPoint[protocols.length];
        stepLatencyByProtocol = new DistributionDataPoint[protocols.length];
        for (Protocol p : protocols) {
            framesOutByProtocol[p.ordinal()] = framesOut.labelValues(p.label());
            stepLatencyByProtocol[p.ordinal()] = stepLatency.labelValues(p.label());
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The broker's subscriptions, pub/sub connections and re-subscriptions, read at each scrape: how many channels,
     * patterns and sharded channels this replica holds, and how often Redis made it subscribe again (a reconnect,
     * or a sharded channel that moved with its slot in a failover or migration).
     */
    public void broker(Supplier<BrokerStats> stats) {
        GaugeWithCallback.builder()
                .name("agentserver_bus_subscriptions")
                .help("Broker subscriptions this replica holds, by kind (channel, pattern, shard_channel)")
                .labelNames("kind")
                .callback(cb -> {
                    BrokerStats now = stats.get();
                    cb.call(now.channels(), "channel");
                    cb.call(now.patterns(), "pattern");
                    cb.call(now.shardChannels(), "shard_channel");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("agentserver_bus_connections")
                .help("Redis pub/sub connections this replica holds (on a cluster, one per node with subscriptions)")
                .callback(cb -> cb.call(stats.get().connections()))
                .register(registry);
        CounterWithCallback.builder()
                .name("agentserver_bus_resubscriptions_total")
                .help("Subscriptions made again after Redis lost them: a reconnect, or a sharded channel whose slot"
                        + " moved (failover, migration)")
                .callback(cb -> cb.call(stats.get().resubscriptions()))
                .register(registry);
    }

    /**
     * AutoGPT's gauge under its own name. The Prometheus client refuses a gauge whose name ends in
     * {@code _total}, so dashboards built for AutoGPT get these lines appended to the scrape as written.
     */
    public String autogptCompatibilityGauge() {
        return "# HELP autogpt_websocket_connections_total Open AutoGPT /ws connections (AutoGPT's name)\n"
                + "# TYPE autogpt_websocket_connections_total gauge\n"
                + "autogpt_websocket_connections_total " + connections.count(Protocol.AUTOGPT) + ".0\n";
    }

    public void frameIn(Protocol protocol) {
        framesIn.labelValues(protocol.label()).inc();
    }

    public void frameOut(Protocol protocol) {
        framesOut(protocol, 1);
    }

    /** {@code frames} frames written to a socket at once. */
    public void framesOut(Protocol protocol, int frames) {
        framesOutByProtocol[protocol.ordinal()].inc(frames);
    }

    public void handshakeRefused(Protocol protocol, String reason) {
        refusedHandshakes.labelValues(protocol.label(), reason).inc();
    }

    public void slowConsumerClosed(Protocol protocol) {
        slowConsumerCloses.labelValues(protocol.label()).inc();
    }

    /** A peer stopped answering pings (a half-open connection, or a client that stopped reading) and was dropped. */
    public void unresponsiveDropped(Protocol protocol) {
        unresponsiveDrops.labelValues(protocol.label()).inc();
    }

    /** A connection went over a limit: {@code connections_per_user} or {@code message_rate}. */
    public void limitExceeded(Protocol protocol, String limit) {
        limitsExceeded.labelValues(protocol.label(), limit).inc();
    }

    public void busReceived(String source) {
        busReceived.labelValues(source).inc();
    }

    public void busDropped(String reason) {
        busDropped.labelValues(reason).inc();
    }

    public void runEnded(String agent, String status) {
        runsEnded.labelValues(agent, status).inc();
    }

    public void stepStored(String agent, String status) {
        stepsStored.labelValues(agent, status).inc();
    }

    public void modelRequest(String agent, Duration latency, long promptTokens, long completionTokens) {
        modelRequestSeconds.labelValues(agent).observe(Math.max(0, latency.toNanos()) / 1e9);
        modelTokens.labelValues(agent, "prompt").inc(Math.max(0, promptTokens));
        modelTokens.labelValues(agent, "completion").inc(Math.max(0, completionTokens));
    }

    public void upstreamError(String agent, String kind) {
        upstreamErrors.labelValues(agent, kind).inc();
    }

    public void a2aRequest(String method, String outcome) {
        a2aRequests.labelValues(method, outcome).inc();
    }

    public void a2aStreamOpened() {
        a2aStreamsOpen.inc();
    }

    /** A stream ended: {@code end} is how (lowercase). */
    public void a2aStreamClosed(String end) {
        a2aStreamsOpen.dec();
        a2aStreams.labelValues(end).inc();
    }

    public void a2aStreamEvent() {
        a2aStreamEvents.inc();
    }

    public void tokensSpent(String agent, String userClass, long promptTokens, long completionTokens) {
        tokensSpent.labelValues(agent, userClass, "prompt").inc(Math.max(0, promptTokens));
        tokensSpent.labelValues(agent, userClass, "completion").inc(Math.max(0, completionTokens));
    }

    public void runRefused(String limit) {
        runsRefused.labelValues(limit).inc();
    }

    public void runReaped() {
        runsReaped.inc();
    }

    public void stepDelivered(Protocol protocol, Duration latency) {
        stepLatencyByProtocol[protocol.ordinal()].observe(Math.max(0, latency.toNanos()) / 1e9);
    }
}
