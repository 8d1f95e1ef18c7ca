package io.agentserver.service.autogpt;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class WsMethodAndChannelKeysTest {

    @Test
    void methodsHaveTheEightExactWireStrings() {
        assertThat(Arrays.stream(WsMethod.values()).map(WsMethod::wire)).containsExactly(
                "subscribe_graph_execution", "subscribe_graph_executions", "unsubscribe",
                "graph_execution_event", "node_execution_event", "notification", "error", "heartbeat");
    }

    @Test
    void methodLookupIsExact() {
        for (WsMethod method : WsMethod.values()) {
            assertThat(WsMethod.fromWire(method.wire())).contains(method);
        }
        assertThat(WsMethod.fromWire("Heartbeat")).isEmpty();
        assertThat(WsMethod.fromWire(" heartbeat")).isEmpty();
        assertThat(WsMethod.fromWire(null)).isEmpty();
    }

    @Test
    void executionChannelKeyIsUserPipeGraphExecHashId() {
        assertThat(ChannelKeys.execution("user-1", "exec-1")).isEqualTo("user-1|graph_exec#exec-1");
    }

    @Test
    void graphChannelKeyIsUserPipeGraphHashIdPipeExecutions() {
        assertThat(ChannelKeys.graph("U", "G")).isEqualTo("U|graph#G|executions");
    }
}
