package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.json.Json;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One agent's card, read when a run starts and kept for {@code card-ttl}: a remote that starts after this server
 * (or changes its card) is seen by the next run; a burst of runs reads it once. A failed read is not kept.
 */
final class AgentCards {

    private final A2aAgentSettings settings;
    private final A2aHttp http;
    /** Held across the read so that concurrent runs read the card once; never a monitor (the read blocks). */
    private final ReentrantLock lock = new ReentrantLock();
    private AgentCard card;
    private long readAt;

    AgentCards(A2aAgentSettings settings, A2aHttp http) {
        this.settings = settings;
        this.http = http;
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
        String call = "GET " + Redaction.url(settings.cardUrl());
        A2aHttp.Answer answer = http.fetch(call, new A2aHttp.Request("GET", settings.cardUrl(), null,
                Map.of("Accept", "application/json"), true), settings.maxResponseBytes(), stopped);
        if (answer.status() / 100 != 2) {
            throw http.statusFailure(call, answer.status(), answer.body());
        }
        JsonNode json = Json.parse(answer.text()).filter(JsonNode::isObject).orElseThrow(() -> new A2aFailure(
                AgentTelemetry.BAD_RESPONSE, http.prefix(call) + "answered something that is not an agent card (JSON)"
                + A2aHttp.excerpt(answer.body())));
        return AgentCard.from(json, settings.cardUrl(), settings.name());
    }
}
