package io.agentserver.service.agent.llm;

/**
 * What the request asks of the model's tool use ({@code tool_choice}): any answer ({@code auto}, the default,
 * not sent), at least one call ({@code required}), or one named tool. A server that refuses the field gets the
 * request without it (see {@link ServerQuirks}).
 */
sealed interface ToolChoice {

    ToolChoice AUTO = new Auto();
    ToolChoice REQUIRED = new Required();

    record Auto() implements ToolChoice {
    }

    record Required() implements ToolChoice {
    }

    record Named(String tool) implements ToolChoice {
    }

    static ToolChoice named(String tool) {
        return new Named(tool);
    }
}
