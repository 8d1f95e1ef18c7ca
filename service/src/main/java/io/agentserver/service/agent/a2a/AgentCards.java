package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.upstream.UpstreamCall;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One agent's card, read when a run starts and kept for {@code card-ttl}: a remote that starts after this server
 * (or changes its card) is seen by the next run; a burst of runs reads it once. A failed read is not kept.
 */
final class AgentCards {

    private final A2aAgentSettings settings;
    private final UpstreamClient client;
    /** Held across the read so that concurrent runs read the card once; never a monitor (the read blocks). */
    private final ReentrantLock lock = new ReentrantLock();
    private AgentCard card;
    private long readAt;

    AgentCards(A2aAgentSettings settings, UpstreamClient client) {
        this.settings = settings;
        this.client = client;
    }

    AgentCard get(BooleanSupplier stopped) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (card == null || System.nanoTime() - readAt >= settings.cardTtl().toNanos()) {
                card = read(stopped);
                readAt = System.nanoTime();
            }
            return card;
        } finally {
            lock.unlock();
        }
    }

    private AgentCard read(BooleanSupplier stopped) throws InterruptedException {
        UpstreamCall call = UpstreamCall.get(Origins.path(settings.cardUrl()))
                .header(JsonRpcClient.VERSION_HEADER, JsonRpcClient.VERSION)
                .header("Accept", "application/json");
        byte[] body = client.send(call, stopped).body();
        JsonNode json = Json.parse(new String(body, StandardCharsets.UTF_8)).filter(JsonNode::isObject)
                .orElseThrow(() -> client.failure(AgentTelemetry.BAD_RESPONSE, call,
                        "answered something that is not an agent card (JSON)"));
        return AgentCard.from(json, settings.cardUrl(), settings.name());
    }
}
