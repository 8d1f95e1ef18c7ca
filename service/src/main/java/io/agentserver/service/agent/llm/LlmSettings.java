package io.agentserver.service.agent.llm;

import io.agentserver.service.secrets.Redacted;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the LLM agent. The keys are chosen so that the environment names {@code LLM_BASE_URL},
 * {@code LLM_API_KEY}, {@code LLM_MODEL}, {@code LLM_TIMEOUT}, {@code LLM_MAX_STEPS}, {@code LLM_MAX_TOKENS},
 * {@code LLM_MAX_RETRIES}, {@code LLM_STREAM} and {@code LLM_ASK_DASH_HUMAN_DASH_TIMEOUT} set them (Helidon maps
 * {@code _} to {@code .} and {@code _DASH_} to {@code -}).
 *
 * @param baseUrl        the Chat Completions server's base URL, up to and including {@code /v1}
 * @param apiKey         sent as a bearer token; local servers usually need none
 * @param model          the model name; the agent is registered only when it is set
 * @param timeout        how long one model request may take before the run fails
 * @param maxSteps       model requests one run may make, re-asks included; the run fails when it needs more
 * @param maxTokens      the completion token cap sent with each request
 * @param maxRetries     retries of a rate-limited (429) or failing (5xx) request before the run fails
 * @param stream         ask for the answer as a stream of chunks ({@code stream: true}); partial output is then
 *                       visible to live views while the model writes
 * @param askHumanTimeout how long an {@code ask_human} question waits for its answer; after it the model is told
 *                       that nobody answered and the run goes on
 */
public record LlmSettings(String baseUrl,
                          Optional<String> apiKey,
                          Optional<String> model,
                          Duration timeout,
                          int maxSteps,
                          long maxTokens,
                          int maxRetries,
                          boolean stream,
                          Duration askHumanTimeout) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_STEPS = 40;
    public static final long DEFAULT_MAX_TOKENS = 2048;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final boolean DEFAULT_STREAM = true;
    public static final Duration DEFAULT_ASK_HUMAN_TIMEOUT = Duration.ofSeconds(120);

    public LlmSettings {
        if (maxSteps < 2) {
            throw new IllegalArgumentException("llm max steps must be at least 2 (a plan and one step), was " + maxSteps);
        }
        if (maxTokens < 1 || maxRetries < 0 || timeout.isNegative() || timeout.isZero()
                || askHumanTimeout.isNegative() || askHumanTimeout.isZero()) {
            throw new IllegalArgumentException("llm max tokens, max retries and timeouts must be positive");
        }
    }

    /** Streaming, with the default wait for {@code ask_human}. */
    public LlmSettings(String baseUrl, Optional<String> apiKey, Optional<String> model, Duration timeout, int maxSteps,
                       long maxTokens, int maxRetries) {
        this(baseUrl, apiKey, model, timeout, maxSteps, maxTokens, maxRetries, DEFAULT_STREAM, DEFAULT_ASK_HUMAN_TIMEOUT);
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
                llm.get("max.retries").asInt().orElse(DEFAULT_MAX_RETRIES),
                llm.get("stream").asBoolean().orElse(DEFAULT_STREAM),
                llm.get("ask-human-timeout").as(Duration.class).orElse(DEFAULT_ASK_HUMAN_TIMEOUT));
    }

    /** The agent runs only with a model to ask. */
    public boolean enabled() {
        return model.isPresent();
    }

    /** Never prints the key; the URL without user info or credential query parameters. */
    @Override
    public String toString() {
        return "LlmSettings[baseUrl=" + Redacted.url(baseUrl) + ", apiKey=" + Redacted.presence(apiKey)
                + ", model=" + model.orElse("<none>") + ", timeout=" + timeout + ", maxSteps=" + maxSteps
                + ", maxTokens=" + maxTokens + ", maxRetries=" + maxRetries + ", stream=" + stream
                + ", askHumanTimeout=" + askHumanTimeout + "]";
    }
}
