package io.agentserver.service.agent;

/**
 * A model's output as it arrives, before it becomes a step: for views that show a run's text and tool calls
 * while the model is still writing them (AG-UI's {@code TEXT_MESSAGE_*} and {@code TOOL_CALL_*} events). Steps
 * stay the record of a run; a local run stores what is reported here in a side log, before the step it precedes
 * ({@link RunLiveOutput}), which only views that show partial output read.
 *
 * <p>One model request is one <em>completion</em>: {@link #completionStarted}, then any interleaving of text
 * deltas, tool-call starts and argument fragments, in the order the model sent them, then
 * {@link #completionEnded} exactly once (also when the request failed or the run stopped mid-stream, with the
 * reason {@link #ABANDONED}; an abandoned completion's partial output is not part of the run). {@link #usage}
 * comes, when the server reports it, before the end. Called in order, from one thread at a time (the run's, or the
 * thread that reads the model's stream for it); implementations must not block (queue and return) and must not
 * throw.
 */
public interface LiveOutput {

    /** The {@code finishReason} of a completion whose request failed or whose run stopped before it ended. */
    String ABANDONED = "abandoned";

    /** Ignores everything: the default of a {@link RunContext}. */
    LiveOutput NONE = new LiveOutput() {
    };

    /**
     * A model request started.
     *
     * @param completionId unique within the run; names the completion in the calls below
     */
    default void completionStarted(String completionId) {
    }

    /** A piece of the answer's text ({@code delta.content}). */
    default void textDelta(String completionId, String delta) {
    }

    /**
     * The model started a tool call: its id and tool name arrived.
     *
     * @param index the call's position in the answer (parallel calls have 0, 1, …)
     */
    default void toolCallStarted(String completionId, int index, String toolCallId, String toolName) {
    }

    /** A fragment of a started tool call's JSON arguments, in order; the fragments concatenated are the arguments. */
    default void toolCallArguments(String completionId, String toolCallId, String fragment) {
    }

    /** Tokens the request used, as the server reported them (when streaming: in the last chunk). */
    default void usage(String completionId, long promptTokens, long completionTokens) {
    }

    /**
     * The completion is over: no more calls for {@code completionId}.
     *
     * @param finishReason the server's ({@code stop}, {@code tool_calls}, {@code length}, …), or {@link #ABANDONED}
     */
    default void completionEnded(String completionId, String finishReason) {
    }
}
