package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run needs of an A2A 1.0 agent card: the agent's name, whether it streams, and the URL of the first
 * interface whose {@code protocolBinding} is {@code JSONRPC} and {@code protocolVersion} {@code 1.0} (empty when
 * it has none; {@code offered} then lists what it has, for the failure text).
 */
record AgentCard(String name, boolean streaming, Optional<URI> endpoint, List<String> offered) {

    static final String BINDING = "JSONRPC";

    AgentCard {
        offered = List.copyOf(offered);
    }

    /** Reads {@code card}, read from {@code cardUrl} (a relative interface URL is resolved against it). */
    static AgentCard from(JsonNode card, URI cardUrl, String fallbackName) {
        Optional<URI> endpoint = Optional.empty();
        List<String> offered = new ArrayList<>();
        for (JsonNode item : card.path("supportedInterfaces")) {
            String binding = item.path("protocolBinding").asText("");
            String version = item.path("protocolVersion").asText("");
            offered.add(binding + " " + version);
            if (endpoint.isEmpty() && BINDING.equals(binding) && JsonRpcClient.VERSION.equals(version)
                    && item.path("url").isTextual()) {
                endpoint = endpoint(cardUrl, item.path("url").asText());
            }
        }
        String name = card.path("name").asText("").strip();
        return new AgentCard(name.isEmpty() ? fallbackName : name, card.path("capabilities").path("streaming").asBoolean(false),
                endpoint, offered);
    }

    private static Optional<URI> endpoint(URI cardUrl, String url) {
        try {
            URI resolved = cardUrl.resolve(url.trim());
            boolean http = "http".equalsIgnoreCase(resolved.getScheme()) || "https".equalsIgnoreCase(resolved.getScheme());
            return http && resolved.getHost() != null ? Optional.of(resolved) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
