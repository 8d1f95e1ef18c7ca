package io.agentserver.service.agent.llm;

import com.openai.core.JsonField;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentserver.service.agent.LiveOutput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts a streamed answer together chunk by chunk, telling the run's {@link LiveOutput} each piece as it arrives.
 * Tolerates what real servers send: tool calls whose id, name and arguments are split over many chunks (keyed by
 * {@code index}; a server that sends no index continues the last call unless a new id starts one), ids repeated
 * in every chunk, arguments before the name, no id at all (one is made up), and usage only in the last chunk
 * (often one with no choices).
 */
final class StreamAssembler {

    private final String completionId;
    private final LiveOutput live;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, PartialCall> calls = new LinkedHashMap<>();
    private PartialCall lastCall;
    private String finishReason = "";
    private ModelAnswer.Usage usage;

    private static final class PartialCall {
        final int index;
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
        boolean announced;

        PartialCall(int index) {
            this.index = index;
        }
    }

    StreamAssembler(String completionId, LiveOutput live) {
        this.completionId = completionId;
        this.live = live;
    }

    void accept(ChatCompletionChunk chunk) {
        chunk._usage().asKnown().ifPresent(u -> {
            usage = new ModelAnswer.Usage(u.promptTokens(), u.completionTokens(), false);
            live.usage(completionId, u.promptTokens(), u.completionTokens());
        });
        for (ChatCompletionChunk.Choice choice : known(chunk._choices(), List.of())) {
            if (known(choice._index(), 0L) != 0L) {
                continue;
            }
            choice._finishReason().asKnown().ifPresent(reason -> finishReason = reason.asString());
            choice._delta().asKnown().ifPresent(this::acceptDelta);
        }
    }

    private void acceptDelta(ChatCompletionChunk.Choice.Delta delta) {
        delta._content().asKnown().filter(s -> !s.isEmpty()).ifPresent(piece -> {
            text.append(piece);
            live.textDelta(completionId, piece);
        });
        for (ChatCompletionChunk.Choice.Delta.ToolCall call : known(delta._toolCalls(), List.<ChatCompletionChunk.Choice.Delta.ToolCall>of())) {
            PartialCall partial = partialFor(call);
            call._id().asKnown().filter(s -> !s.isBlank()).ifPresent(id -> {
                if (partial.id == null) {
                    partial.id = id;
                }
            });
            call._function().asKnown().ifPresent(function -> {
                function._name().asKnown().filter(s -> !s.isBlank()).ifPresent(name -> {
                    if (partial.name == null) {
                        partial.name = name;
                    }
                });
                function._arguments().asKnown().filter(s -> !s.isEmpty()).ifPresent(fragment -> {
                    partial.arguments.append(fragment);
                    if (partial.announced) {
                        live.toolCallArguments(completionId, partial.id, fragment);
                    }
                });
            });
            announce(partial);
        }
    }

    private PartialCall partialFor(ChatCompletionChunk.Choice.Delta.ToolCall call) {
        long index = known(call._index(), -1L);
        PartialCall partial;
        if (index >= 0) {
            partial = calls.computeIfAbsent((int) index, PartialCall::new);
        } else {
            String id = call._id().asKnown().orElse(null);
            boolean startsAnother = lastCall == null || (id != null && lastCall.id != null && !id.equals(lastCall.id));
            partial = startsAnother ? calls.computeIfAbsent(calls.size(), PartialCall::new) : lastCall;
        }
        lastCall = partial;
        return partial;
    }

    /** Tells the live view a call started once its name is known, with the arguments that came before it. */
    private void announce(PartialCall partial) {
        if (partial.announced || partial.name == null) {
            return;
        }
        if (partial.id == null) {
            partial.id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        }
        partial.announced = true;
        live.toolCallStarted(completionId, partial.index, partial.id, partial.name);
        if (!partial.arguments.isEmpty()) {
            live.toolCallArguments(completionId, partial.id, partial.arguments.toString());
        }
    }

    /** The whole answer; calls that never got a name are kept with an empty one (the agent answers them with an error). */
    ModelAnswer answer(ModelAnswer.Usage fallback) {
        List<ModelAnswer.Call> done = new ArrayList<>();
        for (PartialCall partial : calls.values()) {
            if (partial.id == null) {
                partial.id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            }
            done.add(new ModelAnswer.Call(partial.id, partial.name == null ? "" : partial.name,
                    partial.arguments.toString(), null));
        }
        return new ModelAnswer(text.toString(), done, finishReason, usage != null ? usage : fallback);
    }

    String text() {
        return text.toString();
    }

    int argumentChars() {
        return calls.values().stream().mapToInt(c -> c.arguments.length()).sum();
    }

    private static <T> T known(JsonField<T> field, T otherwise) {
        return field.asKnown().orElse(otherwise);
    }
}
