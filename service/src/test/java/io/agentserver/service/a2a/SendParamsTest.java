package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendParamsTest {

    @Test
    void aNewTasksGoalIsItsTextPartsJoinedAndItsArgsAndModeComeFromTheMetadata() {
        SendParams params = valid("{\"message\":{\"messageId\":\"m\",\"contextId\":\"c\",\"parts\":[{\"text\":\"one\"},"
                + "{\"data\":{\"x\":1}},{\"text\":\"two\"}],\"metadata\":{\"mode\":\"manual\",\"args\":{\"demo\":{\"subtasks\":1}}}},"
                + "\"configuration\":{\"returnImmediately\":true,\"historyLength\":2}}");
        assertThat(params.text()).isEqualTo("one\ntwo");
        assertThat(params.mode()).isEqualTo("manual");
        assertThat(params.args().path("demo").path("subtasks").asInt()).isEqualTo(1);
        assertThat(params.contextId()).contains("c");
        assertThat(params.taskId()).isEmpty();
        assertThat(params.returnImmediately()).isTrue();
        assertThat(params.historyLength()).hasValue(2);
        assertThat(params.replyArgs()).isEqualTo(Json.read("{\"x\":1}"));
        assertThat(params.stored("t", "c").path("taskId").asText()).isEqualTo("t");
    }

    @Test
    void aReplyWithoutADataObjectIsItsTextAsAnswer() {
        SendParams params = valid("{\"message\":{\"messageId\":\"m\",\"taskId\":\"t\",\"parts\":[{\"text\":\"teal\"},"
                + "{\"data\":[1]}]}}");
        assertThat(params.taskId()).contains("t");
        assertThat(params.mode()).isEqualTo("auto");
        assertThat(params.replyArgs()).isEqualTo(Json.read("{\"answer\":\"teal\"}"));
    }

    @Test
    void refusesWhatTheContractRefuses() {
        for (String bad : new String[] {"{}", "{\"message\":1}", "{\"message\":{\"messageId\":\"m\"}}",
                "{\"message\":{\"messageId\":\"m\",\"parts\":[]}}", "{\"message\":{\"parts\":[{\"text\":\"x\"}]}}",
                "{\"message\":{\"messageId\":\" \",\"parts\":[{\"text\":\"x\"}]}}",
                "{\"message\":{\"messageId\":\"m\",\"parts\":[\"x\"]}}",
                "{\"message\":{\"messageId\":\"m\",\"taskId\":5,\"parts\":[{\"text\":\"x\"}]}}",
                "{\"message\":{\"messageId\":\"m\",\"contextId\":\"" + "c".repeat(256) + "\",\"parts\":[{\"text\":\"x\"}]}}",
                "{\"message\":{\"messageId\":\"m\",\"parts\":[{\"text\":\"x\"}],\"metadata\":{\"mode\":\"fast\"}}}",
                "{\"message\":{\"messageId\":\"m\",\"parts\":[{\"text\":\"x\"}],\"metadata\":{\"args\":[1]}}}",
                "{\"message\":{\"messageId\":\"m\",\"parts\":[{\"text\":\"x\"}]},\"configuration\":{\"historyLength\":-1}}"}) {
            assertThat(SendParams.parse((ObjectNode) Json.read(bad))).as(bad)
                    .isInstanceOfSatisfying(SendParams.Invalid.class,
                            i -> assertThat(i.error().code()).isEqualTo(RpcError.INVALID_PARAMS));
        }
    }

    private static SendParams valid(String json) {
        return ((SendParams.Valid) SendParams.parse((ObjectNode) Json.read(json))).params();
    }
}
