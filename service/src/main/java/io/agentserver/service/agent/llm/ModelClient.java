package io.agentserver.service.agent.llm;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the model for its next message through the official OpenAI Java SDK. Rate limits (429) and server
 * errors (5xx) are retried here, waiting as {@code Retry-After} says or backing off, and a stop request
 * cuts the wait short; every other failure ends the run with a message that names the cause and the
 * setting to check. Each request and failure is reported to {@link AgentTelemetry}.
 */
final class ModelClient implements AutoCloseable {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /** A server asking for a longer pause than this fails the run rather than leaving it silent. */
    static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(60);

    private final OpenAIClient client;
    private final LlmSettings settings;
    private final AgentTelemetry telemetry;
    private final String agent;

    ModelClient(LlmSettings settings, AgentTelemetry telemetry, String agent) {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .baseUrl(settings.baseUrl())
                .timeout(settings.timeout())
                .maxRetries(0);
        // Local servers need no key, but the SDK refuses to build without one.
        builder.apiKey(settings.apiKey().orElse("none"));
        this.client = builder.build();
        this.settings = settings;
        this.telemetry = telemetry;
        this.agent = agent;
    }

    /** The model's next message, after retrying rate limits and server errors. */
    ChatCompletionMessage next(RunContext ctx, List<ChatCompletionMessageParam> messages, ToolSet tools)
            throws InterruptedException {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(settings.model().orElseThrow())
                .messages(messages)
                .tools(tools.definitions())
                .maxCompletionTokens(settings.maxTokens())
                .build();
        for (int attempt = 0; ; attempt++) {
            long started = System.nanoTime();
            try {
                ChatCompletion completion = client.chat().completions().create(params);
                ChatCompletionMessage message = firstMessage(completion);
                telemetry.modelRequest(agent, Duration.ofNanos(System.nanoTime() - started),
                        completion.usage().map(u -> u.promptTokens()).orElse(0L),
                        completion.usage().map(u -> u.completionTokens()).orElse(0L));
                return message;
            } catch (RateLimitException | InternalServerException e) {
                boolean rateLimited = e instanceof RateLimitException;
                telemetry.upstreamError(agent, rateLimited ? AgentTelemetry.RATE_LIMITED : AgentTelemetry.SERVER_ERROR);
                String what = rateLimited ? "kept rate-limiting requests (429)" : "kept failing (" + e.statusCode() + ")";
                if (attempt >= settings.maxRetries()) {
                    throw new RunFailure("the model server " + what + " after " + settings.maxRetries()
                            + " retries (LLM_MAX_RETRIES): " + detail(e));
                }
                Duration wait = retryAfter(e.headers()).orElse(FIRST_BACKOFF.multipliedBy(1L << attempt));
                if (wait.compareTo(LONGEST_RETRY_WAIT) > 0) {
                    throw new RunFailure("the model server " + what + " and asks to wait " + wait.toSeconds()
                            + " s before retrying: " + detail(e));
                }
                ctx.pause(wait);
            } catch (UnauthorizedException | PermissionDeniedException e) {
                telemetry.upstreamError(agent, AgentTelemetry.UNAUTHORIZED);
                throw new RunFailure("the model server at " + settings.baseUrl() + " refused the API key ("
                        + e.statusCode() + "); check LLM_API_KEY: " + detail(e));
            } catch (OpenAIServiceException e) {
                telemetry.upstreamError(agent, AgentTelemetry.BAD_RESPONSE);
                throw new RunFailure("the model server refused the request (" + e.statusCode()
                        + "); check LLM_MODEL and LLM_BASE_URL: " + detail(e));
            } catch (OpenAIIoException e) {
                throw ioFailure(e);
            } catch (OpenAIException e) {
                telemetry.upstreamError(agent, AgentTelemetry.BAD_RESPONSE);
                throw new RunFailure("the model server's answer was not a Chat Completions response: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static ChatCompletionMessage firstMessage(ChatCompletion completion) {
        if (completion.choices().isEmpty()) {
            throw new OpenAIInvalidDataException("the answer has no choices");
        }
        return completion.choices().getFirst().message();
    }

    private RunFailure ioFailure(OpenAIIoException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException) {
                telemetry.upstreamError(agent, AgentTelemetry.TIMEOUT);
                return new RunFailure("the model server did not answer within " + settings.timeout().toSeconds()
                        + " s (LLM_TIMEOUT)");
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                break;
            }
        }
        telemetry.upstreamError(agent, AgentTelemetry.UNREACHABLE);
        return new RunFailure("cannot reach the model server at " + settings.baseUrl() + " (LLM_BASE_URL): "
                + rootMessage(e));
    }

    /** {@code Retry-After} in seconds or OpenAI's {@code retry-after-ms}; HTTP dates fall back to back-off. */
    static Optional<Duration> retryAfter(Headers headers) {
        try {
            List<String> millis = headers.values("retry-after-ms");
            if (!millis.isEmpty()) {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(millis.getFirst().trim())));
            }
            List<String> seconds = headers.values("retry-after");
            if (!seconds.isEmpty()) {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(seconds.getFirst().trim()) * 1000)));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String detail(OpenAIServiceException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
