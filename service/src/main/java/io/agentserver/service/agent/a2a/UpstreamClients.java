package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.upstream.UpstreamClient;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream clients of one A2A agent, one per origin it is called at: the configured URL's (the card), the
 * card's JSON-RPC interface's (often the same; it need not be), both with the agent's token; a client for a
 * {@code url} part is made per download (see {@link #download}). Each client follows redirects only within its
 * origin.
 */
final class UpstreamClients implements AutoCloseable {

    private final A2aAgentSettings settings;
    private final AgentTelemetry telemetry;
    private final UpstreamClient card;
    private final Map<String, UpstreamClient> endpoints = new ConcurrentHashMap<>();

    UpstreamClients(A2aAgentSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
        this.card = new UpstreamClient(settings.upstream(Origins.root(settings.url()), settings.variable("url"), true),
                telemetry);
    }

    /** The client of the configured URL's origin, where the card is read. */
    UpstreamClient card() {
        return card;
    }

    /** The client of the card's JSON-RPC interface. */
    UpstreamClient endpoint(URI endpoint) {
        if (Origins.same(endpoint, settings.url())) {
            return card;
        }
        return endpoints.computeIfAbsent(Origins.of(endpoint), o -> new UpstreamClient(settings.upstream(
                Origins.root(endpoint), "the JSONRPC interface of " + settings.variable("url") + "'s card", true),
                telemetry));
    }

    /**
     * A client for one download from {@code uri}'s origin; the caller closes it.
     *
     * @param own whether that origin is the agent's (the token goes only there)
     */
    UpstreamClient download(URI uri, boolean own) {
        return new UpstreamClient(settings.upstream(Origins.root(uri), "a url part of an artifact", own), telemetry);
    }

    AgentTelemetry telemetry() {
        return telemetry;
    }

    @Override
    public void close() {
        card.close();
        endpoints.values().forEach(UpstreamClient::close);
    }
}
