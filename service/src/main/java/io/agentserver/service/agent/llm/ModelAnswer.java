package io.agentserver.service.agent.llm;

import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;

import java.util.List;

/**
 * One answer of the model, however it arrived (whole or streamed): its text (empty when none), its tool calls in
 * order, why it ended, and the tokens it used.
 */
record ModelAnswer(String text, List<Call> calls, String finishReason, Usage usage) {

    ModelAnswer {
        text = text == null ? "" : text;
        calls = List.copyOf(calls);
    }

    /**
     * One tool call. {@code original} is the call as the server sent it when it is not a function call (the only
     * kind offered); such a call is echoed back as it came and answered with an error.
     */
    record Call(String id, String name, String arguments, ChatCompletionMessageToolCall original) {

        boolean function() {
            return original == null || original.isFunction();
        }

        ChatCompletionMessageToolCall toParam() {
            if (original != null) {
                return original;
            }
            return ChatCompletionMessageToolCall.ofFunction(ChatCompletionMessageFunctionToolCall.builder()
                    .id(id)
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(name)
                            .arguments(arguments).build())
                    .build());
        }
    }

    /**
     * Tokens of one request. {@code estimated}: the server reported none, so they were estimated from the
     * characters sent and received (four per token), which still lets the token limits hold.
     */
    record Usage(long promptTokens, long completionTokens, boolean estimated) {

        static final Usage NONE = new Usage(0, 0, false);

        long total() {
            return promptTokens + completionTokens;
        }
    }

    boolean hasCalls() {
        return !calls.isEmpty();
    }

    /** The answer as the assistant message that goes back into the conversation. */
    ChatCompletionMessageParam toParam() {
        ChatCompletionAssistantMessageParam.Builder message = ChatCompletionAssistantMessageParam.builder();
        if (!text.isEmpty() || calls.isEmpty()) {
            message.content(text);
        }
        if (!calls.isEmpty()) {
            message.toolCalls(calls.stream().map(Call::toParam).toList());
        }
        return ChatCompletionMessageParam.ofAssistant(message.build());
    }
}
