package io.agentserver.service.agent.llm;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the LLM agent. The keys are chosen so that the environment names {@code LLM_BASE_URL},
 * {@code LLM_API_KEY}, {@code LLM_MODEL}, {@code LLM_TIMEOUT}, {@code LLM_MAX_STEPS}, {@code LLM_MAX_TOKENS}
 * and {@code LLM_MAX_RETRIES} set them (Helidon maps {@code _} to {@code .}).
 *
 * @param baseUrl     the Chat Completions server's base URL, up to and including {@code /v1}
 * @param apiKey      sent as a bearer token; local servers usually need none
 * @param model       the model name; the agent is registered only when it is set
 * @param timeout     how long one model request may take before the run fails
 * @param maxSteps    model requests one run may make, re-asks included; the run fails when it needs more
 * @param maxTokens   the completion token cap sent with each request
 * @param maxRetries  retries of a rate-limited (429) or failing (5xx) request before the run fails
 */
public record LlmSettings(String baseUrl,
                          Optional<String> apiKey,
                          Optional<String> model,
                          Duration timeout,
                          int maxSteps,
                          long maxTokens,
                          int maxRetries) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_STEPS = 40;
    public static final long DEFAULT_MAX_TOKENS = 2048;
    public static final int DEFAULT_MAX_RETRIES = 3;

    public LlmSettings {
        if (maxSteps < 2) {
            throw new IllegalArgumentException("llm max steps must be at least 2 (a plan and one step), was " + maxSteps);
        }
        if (maxTokens < 1 || maxRetries < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("llm max tokens, max retries and timeout must be positive");
        }
    }

    public static LlmSettings from(Config config) {
        Config llm = config.get("llm");
        return new LlmSettings(
                llm.get("base.url").asString().filter(s -> !s.isBlank()).orElse(DEFAULT_BASE_URL),
                llm.get("api.key").asString().filter(s -> !s.isBlank()),
                llm.get("model").asString().filter(s -> !s.isBlank()),
                llm.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                llm.get("max.steps").asInt().orElse(DEFAULT_MAX_STEPS),
                llm.get("max.tokens").asLong().orElse(DEFAULT_MAX_TOKENS),
                llm.get("max.retries").asInt().orElse(DEFAULT_MAX_RETRIES));
    }

    /** The agent runs only with a model to ask. */
    public boolean enabled() {
        return model.isPresent();
    }
}
