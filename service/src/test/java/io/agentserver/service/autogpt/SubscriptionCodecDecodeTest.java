package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.ClientCommand.ClientError;
import io.agentserver.service.autogpt.ClientCommand.Heartbeat;
import io.agentserver.service.autogpt.ClientCommand.Rejected;
import io.agentserver.service.autogpt.ClientCommand.SubscribeExecution;
import io.agentserver.service.autogpt.ClientCommand.SubscribeGraph;
import io.agentserver.service.autogpt.ClientCommand.Unsubscribe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionCodecDecodeTest {
    private final SubscriptionCodec codec = new SubscriptionCodec();

    @Test
    void heartbeatFromTheFrontendDecodesToHeartbeat() {
        assertThat(codec.decode("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}"))
                .isEqualTo(new Heartbeat());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"method\":\"heartbeat\"}",
            "{\"method\":\"heartbeat\",\"data\":null}",
            "{\"method\":\"heartbeat\",\"data\":{\"x\":1}}",
            "{\"method\":\"heartbeat\",\"data\":[]}",
            "{\"method\":\"heartbeat\",\"data\":\"\"}"})
    void heartbeatAcceptsAnyData(String frame) {
        assertThat(codec.decode(frame)).isInstanceOf(Heartbeat.class);
    }

    @Test
    void subscribeGraphExecutionCarriesAnOptionalSinceCursor() {
        assertThat(codec.decode("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"E\","
                + "\"since\":\"1700000000000-2\"}}"))
                .isEqualTo(new SubscribeExecution("E", java.util.Optional.of("1700000000000-2")));
        assertThat(codec.decode("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"E\","
                + "\"since\":12}}")).isEqualTo(new SubscribeExecution("E", java.util.Optional.of("12")));
        assertThat(codec.decode("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"E\","
                + "\"since\":null}}")).isEqualTo(new SubscribeExecution("E"));
        for (String bad : new String[]{"-1", "1.5", "true", "{}", "[]"}) {
            assertThat(codec.decode("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"E\","
                    + "\"since\":" + bad + "}}")).as(bad)
                    .isEqualTo(new ClientCommand.Rejected(ClientCommand.Rejected.INVALID_DATA));
        }
    }

    @Test
    void subscribeGraphExecutionCarriesTheExecutionId() {
        assertThat(codec.decode("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"E\"}}"))
                .isEqualTo(new SubscribeExecution("E"));
    }

    @Test
    void subscribeGraphExecutionsCarriesTheGraphId() {
        assertThat(codec.decode("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"G\"}}"))
                .isEqualTo(new SubscribeGraph("G"));
    }

    @Test
    void unsubscribeCarriesTheExecutionId() {
        assertThat(codec.decode("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"E\"}}"))
                .isEqualTo(new Unsubscribe("E"));
    }

    @Test
    void framesAsPydanticDumpsThemWithAllFiveKeysDecode() {
        String frame = "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"test-graph-exec-1\"},"
                + "\"success\":null,\"channel\":null,\"error\":null}";
        assertThat(codec.decode(frame)).isEqualTo(new SubscribeExecution("test-graph-exec-1"));
    }

    @Test
    void unknownExtraKeysAreIgnoredAtTopLevelAndInData() {
        String frame = "{\"id\":7,\"method\":\"subscribe_graph_execution\",\"extra\":{\"a\":[1,2]},"
                + "\"data\":{\"graph_exec_id\":\"E\",\"graph_id\":\"G\",\"graph_version\":3}}";
        assertThat(codec.decode(frame)).isEqualTo(new SubscribeExecution("E"));
    }

    @Test
    void idsKeepUnicodeAndSpecialCharacters() {
        assertThat(codec.decode("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"é|#*\\\"x\"}}"))
                .isEqualTo(new Unsubscribe("é|#*\"x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"method\":\"subscribe_graph_execution\"}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":null}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":[]}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":\"\"}",
            "{\"method\":\"subscribe_graph_executions\",\"data\":{}}",
            "{\"method\":\"subscribe_graph_executions\"}",
            "{\"method\":\"unsubscribe\"}",
            "{\"method\":\"unsubscribe\",\"data\":null}",
            "{\"method\":\"unsubscribe\",\"data\":[]}",
            "{\"method\":\"unsubscribe\",\"data\":\"\"}"})
    void subscriptionWithEmptyOrMissingDataIsRejectedAsDataMissing(String frame) {
        assertThat(codec.decode(frame)).isEqualTo(new Rejected("Subscription data missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "not json",
            "{\"method\":\"heartbeat\"",
            "{\"method\":\"heartbeat\"} trailing",
            "{\"method\":\"heartbeat\"}{}",
            "[]",
            "[{\"method\":\"heartbeat\"}]",
            "\"heartbeat\"",
            "42",
            "null",
            "{}",
            "{\"data\":{\"graph_exec_id\":\"E\"}}",
            "{\"method\":null}",
            "{\"method\":1}",
            "{\"method\":[\"heartbeat\"]}",
            "{\"method\":\"HEARTBEAT\"}",
            "{\"method\":\"subscribe\"}",
            "{\"method\":\"ping\"}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":42}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":0}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":1.5}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":true}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":false}",
            "{\"method\":\"heartbeat\",\"data\":7}",
            "{\"method\":\"heartbeat\",\"success\":\"maybe\"}",
            "{\"method\":\"heartbeat\",\"success\":2}",
            "{\"method\":\"heartbeat\",\"success\":{}}",
            "{\"method\":\"heartbeat\",\"channel\":5}",
            "{\"method\":\"heartbeat\",\"channel\":{}}",
            "{\"method\":\"heartbeat\",\"error\":false}"})
    void malformedFramesAreRejectedAsInvalidFormat(String frame) {
        assertThat(codec.decode(frame)).isEqualTo(new Rejected("Invalid message format. Review the schema and retry"));
    }

    @Test
    void nullTextIsRejectedAsInvalidFormatWithoutThrowing() {
        assertThat(codec.decode(null)).isEqualTo(new Rejected(Rejected.INVALID_FORMAT));
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutThrowing() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(codec.decode("{\"method\":\"heartbeat\",\"data\":" + deep + "}"))
                .isEqualTo(new Rejected(Rejected.INVALID_FORMAT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "null", "1", "0", "\"yes\"", "\"off\"", "\"True\""})
    void successAcceptsWhatPydanticReadsAsBoolean(String success) {
        assertThat(codec.decode("{\"method\":\"heartbeat\",\"success\":" + success + "}")).isInstanceOf(Heartbeat.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_id\":\"G\"}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":null}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":42}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":[\"E\"]}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":{\"id\":\"E\"}}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"\"}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"  \"}}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":\"E\"}",
            "{\"method\":\"subscribe_graph_execution\",\"data\":[\"E\"]}",
            "{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_exec_id\":\"E\"}}",
            "{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":1}}",
            "{\"method\":\"unsubscribe\",\"data\":{\"graph_id\":\"G\"}}",
            "{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":true}}"})
    void subscriptionWithWrongDataShapeIsRejectedAsInvalidData(String frame) {
        assertThat(codec.decode(frame)).isEqualTo(new Rejected("Invalid message data. Refer to the API schema"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"graph_execution_event", "node_execution_event", "notification"})
    void serverToClientMethodsSentByAClientAreNotProcessed(String method) {
        assertThat(codec.decode("{\"method\":\"" + method + "\",\"data\":{\"id\":\"x\"}}"))
                .isEqualTo(new Rejected("Message type is not processed by the server"));
        assertThat(codec.decode("{\"method\":\"" + method + "\"}"))
                .isEqualTo(new Rejected(Rejected.NOT_PROCESSED));
    }

    @Test
    void errorFromClientIsDecodedForLoggingWithItsData() {
        assertThat(codec.decode("{\"method\":\"error\",\"data\":{\"message\":\"boom\"}}"))
                .isEqualTo(new ClientError("{\"message\":\"boom\"}"));
        assertThat(codec.decode("{\"method\":\"error\"}")).isEqualTo(new ClientError("null"));
    }

    @Test
    void errorDataKeptForLoggingIsCapped() {
        String big = "x".repeat(5000);
        ClientCommand command = codec.decode("{\"method\":\"error\",\"data\":\"" + big + "\"}");
        assertThat(command).isInstanceOf(ClientError.class);
        assertThat(((ClientError) command).dataJson()).hasSizeLessThanOrEqualTo(SubscriptionCodec.CLIENT_ERROR_LOG_CAP + 1);
    }

    @Test
    void duplicateKeysTakeTheLastValueAsPydanticDoes() {
        assertThat(codec.decode("{\"method\":\"heartbeat\",\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"E\"}}"))
                .isEqualTo(new Unsubscribe("E"));
    }
}
