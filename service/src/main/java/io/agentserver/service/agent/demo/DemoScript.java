package io.agentserver.service.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Optional;

/**
 * How a demo run goes, from the optional {@code args.demo} object:
 * {@code {"subtasks":N,"inner":M,"delay_ms":D,"ask_human":true,"fail":"message"}}. Out-of-range values are
 * clamped so a client cannot make a run unbounded.
 */
public record DemoScript(int subtasks, int inner, Duration delay, boolean askHuman, Optional<String> failure) {

    static final int DEFAULT_SUBTASKS = 2;
    static final int DEFAULT_INNER = 2;
    static final long DEFAULT_DELAY_MS = 250;
    static final int MAX_SUBTASKS = 10;
    static final int MAX_INNER = 10;
    static final long MAX_DELAY_MS = 10_000;

    public static DemoScript from(JsonNode args) {
        JsonNode demo = args.path("demo");
        return new DemoScript(
                clamp(demo.path("subtasks").asInt(DEFAULT_SUBTASKS), 1, MAX_SUBTASKS),
                clamp(demo.path("inner").asInt(DEFAULT_INNER), 1, MAX_INNER),
                Duration.ofMillis(Math.max(0, Math.min(MAX_DELAY_MS, demo.path("delay_ms").asLong(DEFAULT_DELAY_MS)))),
                demo.path("ask_human").asBoolean(false),
                Optional.of(demo.path("fail").asText("")).filter(s -> !s.isBlank()));
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
