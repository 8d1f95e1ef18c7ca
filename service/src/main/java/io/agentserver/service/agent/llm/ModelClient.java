package io.agentserver.service.agent.llm;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.LiveOutput;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.agent.llm.ServerQuirks.OptionalField;
import io.agentserver.service.secrets.Redactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the model for its next answer through the official OpenAI Java SDK, as a stream of chunks (each piece told
 * to the run's {@link LiveOutput} as it arrives) or whole. Sends {@code tool_choice} when the caller wants one
 * and the server has not refused it before (a 400 that blames it is answered by sending the request again
 * without it, and remembering that, see {@link ServerQuirks}). Rate limits (429) and server errors (5xx) are
 * retried, waiting as {@code Retry-After} says or backing off; a stop request cuts waits and streams short.
 * Every other failure ends the run with a message that names the cause and the setting to check, never the
 * server's address, key or raw answer. Each request and failure is reported to {@link AgentTelemetry}.
 */
final class ModelClient implements AutoCloseable {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /** A server asking for a longer pause than this fails the run rather than leaving it silent. */
    static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(60);
    /** How often a request in flight looks whether its run was stopped. */
    static final Duration STOP_CHECK_INTERVAL = Duration.ofMillis(200);
    private static final System.Logger LOG = System.getLogger(ModelClient.class.getName());

    private final OpenAIClient client;
    private final LlmSettings settings;
    private final AgentTelemetry telemetry;
    private final String agent;
    private final ServerQuirks quirks;
    private final ModelServerErrors errors;

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
        this.quirks = new ServerQuirks(agent);
        List<String> secrets = new ArrayList<>();
        settings.apiKey().ifPresent(secrets::add);
        secrets.add(settings.baseUrl());
        this.errors = new ModelServerErrors(agent, settings, telemetry, Redactor.of(secrets));
    }

    /**
     * The model's next answer, after retrying rate limits and server errors.
     *
     * @param completionId names this request's output in the run's {@link LiveOutput}; a request sent again (a
     *                     retry, or without a refused field) is a new completion, {@code <completionId>-<n>}
     */
    ModelAnswer next(RunContext ctx, List<ChatCompletionMessageParam> messages, ToolSet tools, ToolChoice choice,
                     String completionId) throws InterruptedException {
        Set<OptionalField> withheld = EnumSet.noneOf(OptionalField.class);
        int sent = 0;
        for (int attempt = 0; ; attempt++) {
            String id = sent++ == 0 ? completionId : completionId + "-" + sent;
            Set<OptionalField> sending = fieldsFor(choice, withheld);
            ChatCompletionCreateParams params = params(messages, tools, choice, sending);
            long started = System.nanoTime();
            LiveOutput live = ctx.liveOutput();
            live.completionStarted(id);
            boolean ended = false;
            try {
                ModelAnswer answer = settings.stream()
                        ? streamed(ctx, params, id, messages)
                        : whole(ctx, params, id, messages);
                live.completionEnded(id, answer.finishReason());
                ended = true;
                telemetry.modelRequest(agent, Duration.ofNanos(System.nanoTime() - started),
                        answer.usage().promptTokens(), answer.usage().completionTokens());
                if (!withheld.isEmpty()) {
                    quirks.refuse(withheld);
                }
                return answer;
            } catch (BadRequestException | UnprocessableEntityException e) {
                OpenAIServiceException refused = (OpenAIServiceException) e;
                Set<OptionalField> blamed = ServerQuirks.blamed(ModelServerErrors.serverMessage(refused), sending);
                if (!blamed.isEmpty() && withheld.isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "model server refused a request with optional fields; sending it"
                            + " again without them agent=" + agent + " status=" + refused.statusCode()
                            + " fields=" + blamed.stream().map(f -> f.wire).toList());
                    withheld.addAll(blamed);
                    attempt--;
                    continue;
                }
                telemetry.upstreamError(agent, AgentTelemetry.BAD_RESPONSE);
                throw new RunFailure("the model server refused the request (" + refused.statusCode()
                        + "); check LLM_MODEL and LLM_BASE_URL" + errors.detail(refused));
            } catch (RateLimitException | InternalServerException e) {
                boolean rateLimited = e instanceof RateLimitException;
                telemetry.upstreamError(agent, rateLimited ? AgentTelemetry.RATE_LIMITED : AgentTelemetry.SERVER_ERROR);
                String what = rateLimited ? "kept rate-limiting requests (429)" : "kept failing (" + e.statusCode() + ")";
                if (attempt >= settings.maxRetries()) {
                    throw new RunFailure("the model server " + what + " after " + settings.maxRetries()
                            + " retries (LLM_MAX_RETRIES)" + errors.detail(e));
                }
                Duration wait = retryAfter(e.headers()).orElse(FIRST_BACKOFF.multipliedBy(1L << attempt));
                if (wait.compareTo(LONGEST_RETRY_WAIT) > 0) {
                    throw new RunFailure("the model server " + what + " and asks to wait " + wait.toSeconds()
                            + " s before retrying" + errors.detail(e));
                }
                live.completionEnded(id, LiveOutput.ABANDONED);
                ended = true;
                ctx.pause(wait);
            } catch (UnauthorizedException | PermissionDeniedException e) {
                telemetry.upstreamError(agent, AgentTelemetry.UNAUTHORIZED);
                throw new RunFailure("the model server refused the API key (" + ((OpenAIServiceException) e).statusCode()
                        + "); check LLM_API_KEY" + errors.detail((OpenAIServiceException) e));
            } catch (OpenAIServiceException e) {
                telemetry.upstreamError(agent, AgentTelemetry.BAD_RESPONSE);
                throw new RunFailure("the model server refused the request (" + e.statusCode()
                        + "); check LLM_MODEL and LLM_BASE_URL" + errors.detail(e));
            } catch (OpenAIIoException e) {
                if (ctx.stopped()) {
                    throw new RunStoppedException("stopped while the model was answering");
                }
                throw errors.ioFailure(e);
            } catch (OpenAIException e) {
                if (ctx.stopped()) {
                    throw new RunStoppedException("stopped while the model was answering");
                }
                telemetry.upstreamError(agent, AgentTelemetry.BAD_RESPONSE);
                errors.unreadable(e);
                throw new RunFailure("the model server's answer was not a Chat Completions response");
            } finally {
                if (!ended) {
                    live.completionEnded(id, LiveOutput.ABANDONED);
                }
            }
        }
    }

    private Set<OptionalField> fieldsFor(ToolChoice choice, Set<OptionalField> withheld) {
        Set<OptionalField> fields = EnumSet.noneOf(OptionalField.class);
        if (!(choice instanceof ToolChoice.Auto) && quirks.accepts(OptionalField.TOOL_CHOICE)) {
            fields.add(OptionalField.TOOL_CHOICE);
        }
        if (settings.stream() && quirks.accepts(OptionalField.STREAM_OPTIONS)) {
            fields.add(OptionalField.STREAM_OPTIONS);
        }
        fields.removeAll(withheld);
        return fields;
    }

    private ChatCompletionCreateParams params(List<ChatCompletionMessageParam> messages, ToolSet tools,
                                              ToolChoice choice, Set<OptionalField> sending) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(settings.model().orElseThrow())
                .messages(messages)
                .tools(tools.definitions())
                .maxCompletionTokens(settings.maxTokens());
        if (sending.contains(OptionalField.TOOL_CHOICE)) {
            switch (choice) {
                case ToolChoice.Required r -> params.toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED);
                case ToolChoice.Named(String tool) -> params.toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name(tool).build()).build());
                case ToolChoice.Auto a -> {
                }
            }
        }
        if (sending.contains(OptionalField.STREAM_OPTIONS)) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        return params.build();
    }

    /**
     * Reads the answer as a stream on a reader thread while the run's thread waits, looking every
     * {@link #STOP_CHECK_INTERVAL} whether the run was stopped: a stop abandons the answer at once (the stream is
     * closed, and nothing more of it reaches the live output), however long the server takes to send its next chunk.
     */
    private ModelAnswer streamed(RunContext ctx, ChatCompletionCreateParams params, String completionId,
                                 List<ChatCompletionMessageParam> messages) throws InterruptedException {
        GatedLiveOutput gate = new GatedLiveOutput(ctx.liveOutput());
        StreamAssembler assembler = new StreamAssembler(completionId, gate);
        AtomicReference<StreamResponse<ChatCompletionChunk>> open = new AtomicReference<>();
        CompletableFuture<ModelAnswer> reading = new CompletableFuture<>();
        Thread.ofVirtual().name("llm-stream-" + completionId).start(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                open.set(stream);
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                while (chunks.hasNext() && !gate.closed()) {
                    assembler.accept(chunks.next());
                }
                reading.complete(assembler.answer(estimate(messages, assembler.text().length()
                        + assembler.argumentChars())));
            } catch (RuntimeException e) {
                reading.completeExceptionally(e);
            }
        });
        try {
            while (true) {
                try {
                    return reading.get(STOP_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (ctx.stopped()) {
                        gate.close();
                        // closing may wait for the read in flight to end: not on the run's thread
                        Optional.ofNullable(open.get()).ifPresent(stream ->
                                Thread.ofVirtual().name("llm-stream-close").start(() -> closeQuietly(stream)));
                        throw new RunStoppedException("stopped while the model was answering");
                    }
                } catch (ExecutionException e) {
                    gate.close();
                    if (e.getCause() instanceof RuntimeException cause) {
                        throw cause;
                    }
                    throw new OpenAIIoException("the stream failed", e.getCause());
                }
            }
        } finally {
            gate.close();
        }
    }

    private static void closeQuietly(StreamResponse<?> stream) {
        try {
            stream.close();
        } catch (RuntimeException e) {
            // abandoning it; the reader thread ends with the connection
        }
    }

    /** Asks for the whole answer at once; waits for it unless the run stops (then the request is cancelled). */
    private ModelAnswer whole(RunContext ctx, ChatCompletionCreateParams params, String completionId,
                              List<ChatCompletionMessageParam> messages) throws InterruptedException {
        CompletableFuture<ChatCompletion> pending = client.async().chat().completions().create(params);
        ChatCompletion completion;
        try {
            while (true) {
                try {
                    completion = pending.get(STOP_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (ctx.stopped()) {
                        throw new RunStoppedException("stopped while the model was answering");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new OpenAIIoException("the request failed", e.getCause());
        } finally {
            pending.cancel(true);
        }
        if (completion.choices().isEmpty()) {
            throw new OpenAIInvalidDataException("the answer has no choices");
        }
        ChatCompletionMessage message = completion.choices().getFirst().message();
        List<ModelAnswer.Call> calls = new ArrayList<>();
        for (ChatCompletionMessageToolCall call : message.toolCalls().orElse(List.of())) {
            if (call.isFunction()) {
                var function = call.asFunction();
                calls.add(new ModelAnswer.Call(function.id(), function.function().name(), function.function().arguments(),
                        null));
            } else {
                calls.add(new ModelAnswer.Call(call.isCustom() ? call.asCustom().id() : "call", "", "", call));
            }
        }
        String text = message.content().orElse("");
        String finish = completion.choices().getFirst()._finishReason().asKnown().map(r -> r.asString()).orElse("");
        ModelAnswer.Usage usage = completion.usage()
                .map(u -> new ModelAnswer.Usage(u.promptTokens(), u.completionTokens(), false))
                .orElseGet(() -> estimate(messages, text.length()
                        + calls.stream().mapToInt(c -> c.arguments().length()).sum()));
        ModelAnswer answer = new ModelAnswer(text, calls, finish, usage);
        tell(ctx.liveOutput(), completionId, answer);
        return answer;
    }

    /** A whole answer told to the live view as if it had streamed in one piece each. */
    private static void tell(LiveOutput live, String completionId, ModelAnswer answer) {
        if (!answer.text().isEmpty()) {
            live.textDelta(completionId, answer.text());
        }
        for (int i = 0; i < answer.calls().size(); i++) {
            ModelAnswer.Call call = answer.calls().get(i);
            live.toolCallStarted(completionId, i, call.id(), call.name());
            if (!call.arguments().isEmpty()) {
                live.toolCallArguments(completionId, call.id(), call.arguments());
            }
        }
        if (!answer.usage().estimated()) {
            live.usage(completionId, answer.usage().promptTokens(), answer.usage().completionTokens());
        }
    }

    /** Four characters per token, for a server that reports no usage: the token limits still hold. */
    private static ModelAnswer.Usage estimate(List<ChatCompletionMessageParam> messages, int answerChars) {
        long promptChars = messages.stream().mapToLong(m -> m.toString().length()).sum();
        return new ModelAnswer.Usage(Math.max(1, promptChars / 4), Math.max(1, answerChars / 4), true);
    }

    @Override
    public void close() {
        client.close();
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
}
