package io.agentserver.service.autogpt;

import java.util.Optional;

/** The {@code method} of an AutoGPT WebSocket frame, with the exact string sent on the wire. */
public enum WsMethod {
    SUBSCRIBE_GRAPH_EXEC("subscribe_graph_execution"),
    SUBSCRIBE_GRAPH_EXECS("subscribe_graph_executions"),
    UNSUBSCRIBE("unsubscribe"),
    GRAPH_EXECUTION_EVENT("graph_execution_event"),
    NODE_EXECUTION_EVENT("node_execution_event"),
    NOTIFICATION("notification"),
    ERROR("error"),
    HEARTBEAT("heartbeat");

    private final String wire;

    WsMethod(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The method with exactly this wire string (case-sensitive, as AutoGPT's enum validation). */
    public static Optional<WsMethod> fromWire(String value) {
        for (WsMethod method : values()) {
            if (method.wire.equals(value)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
