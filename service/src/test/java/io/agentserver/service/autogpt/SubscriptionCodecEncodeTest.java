package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentserver.service.hub.TextFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionCodecEncodeTest {
    private final SubscriptionCodec codec = new SubscriptionCodec();

    @Test
    void heartbeatReplyIsExactlyThreeKeys() {
        assertThat(codec.heartbeatReply().text()).isEqualTo("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true}");
    }

    @Test
    void subscribeExecutionAckIsByteExact() {
        assertThat(codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, ChannelKeys.execution("user-1", "exec-1")).text())
                .isEqualTo("{\"method\":\"subscribe_graph_execution\",\"data\":null,\"success\":true,"
                        + "\"channel\":\"user-1|graph_exec#exec-1\",\"error\":null}");
    }

    @Test
    void subscribeGraphAckIsByteExact() {
        assertThat(codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXECS, ChannelKeys.graph("U", "G")).text())
                .isEqualTo("{\"method\":\"subscribe_graph_executions\",\"data\":null,\"success\":true,"
                        + "\"channel\":\"U|graph#G|executions\",\"error\":null}");
    }

    @Test
    void unsubscribeAckNamesTheChannel() {
        assertThat(codec.unsubscribeAck("U|graph_exec#E").text())
                .isEqualTo("{\"method\":\"unsubscribe\",\"data\":null,\"success\":true,"
                        + "\"channel\":\"U|graph_exec#E\",\"error\":null}");
    }

    @Test
    void unsubscribeAckWithoutSuchSubscriptionHasNullChannel() {
        assertThat(codec.unsubscribeAck(null).text())
                .isEqualTo("{\"method\":\"unsubscribe\",\"data\":null,\"success\":true,\"channel\":null,\"error\":null}");
    }

    @Test
    void errorFramesCarryEachExactText() {
        for (String text : List.of(ClientCommand.Rejected.DATA_MISSING, ClientCommand.Rejected.INVALID_FORMAT,
                ClientCommand.Rejected.INVALID_DATA, ClientCommand.Rejected.NOT_PROCESSED)) {
            assertThat(codec.error(text).text()).isEqualTo(
                    "{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":null,\"error\":\"" + text + "\"}");
        }
    }

    @Test
    void errorFrameForDataMissingIsByteExact() {
        assertThat(codec.error("Subscription data missing").text())
                .isEqualTo("{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":null,"
                        + "\"error\":\"Subscription data missing\"}");
    }

    @Test
    void ackFramesContainTheSubstringsAutoGptTestsLookFor() {
        String ack = codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, "u|graph_exec#e").text();
        assertThat(ack).contains("\"method\":\"subscribe_graph_execution\"").contains("\"success\":true");
        String error = codec.error(ClientCommand.Rejected.NOT_PROCESSED).text();
        assertThat(error).contains("\"method\":\"error\"").contains("\"success\":false");
    }

    @Test
    void channelAndErrorTextsAreJsonEscaped() {
        String frame = codec.unsubscribeAck("u\"x\\y\n|graph_exec#é").text();
        assertThat(frame).isEqualTo("{\"method\":\"unsubscribe\",\"data\":null,\"success\":true,"
                + "\"channel\":\"u\\\"x\\\\y\\n|graph_exec#é\",\"error\":null}");
    }

    @Test
    void encodeWritesAllFiveKeysInOrderWithNullsAndCompactData() throws Exception {
        var data = new ObjectMapper().readTree("{ \"b\" : 1, \"a\" : [ true, null ] }");
        assertThat(codec.encode(WsMethod.HEARTBEAT, data, null, null, null).text())
                .isEqualTo("{\"method\":\"heartbeat\",\"data\":{\"b\":1,\"a\":[true,null]},\"success\":null,"
                        + "\"channel\":null,\"error\":null}");
        assertThat(codec.encode(WsMethod.HEARTBEAT, JsonNodeFactory.instance.textNode("pong"), true, null, null).text())
                .isEqualTo("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true,\"channel\":null,\"error\":null}");
        assertThat(codec.encode(WsMethod.ERROR, (JsonNode) null, false, "c", "e").text())
                .isEqualTo("{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":\"c\",\"error\":\"e\"}");
    }

    @Test
    void encodeWithRawDataSplicesItUntouched() {
        RawJsonObject data = RawJsonObject.parse("{\"n\":1.0E+2}").orElseThrow();
        assertThat(codec.encode(WsMethod.GRAPH_EXECUTION_EVENT, data, null, "c", null).text())
                .isEqualTo("{\"method\":\"graph_execution_event\",\"data\":{\"n\":1.0E+2},\"success\":null,"
                        + "\"channel\":\"c\",\"error\":null}");
        assertThat(codec.encode(WsMethod.UNSUBSCRIBE, (RawJsonObject) null, true, null, null).text())
                .isEqualTo(codec.unsubscribeAck(null).text());
    }

    @Test
    void eventFrameSplicesDataAsPublishedKeepingUnknownFieldsAndNumberFormats() {
        String published = "{\"id\":\"E\",\"user_id\":\"U\",\"cost\":1.50,\"big\":12345678901234567890123,"
                + "\"exp\":1e3,\"neg\":-0.0,\"new_field\":{\"z\":1,\"a\":2},\"event_type\":\"graph_execution_update\"}";
        RawJsonObject data = RawJsonObject.parse(published).orElseThrow();
        assertThat(codec.event(WsMethod.GRAPH_EXECUTION_EVENT, data, "U|graph_exec#E").text())
                .isEqualTo("{\"method\":\"graph_execution_event\",\"data\":" + published
                        + ",\"success\":null,\"channel\":\"U|graph_exec#E\",\"error\":null}");
    }

    @Test
    void notificationFrameHasNullChannel() {
        RawJsonObject data = RawJsonObject.parse("{\"type\":\"info\",\"event\":\"x\",\"extra\":2.0}").orElseThrow();
        assertThat(codec.notification(data).text())
                .isEqualTo("{\"method\":\"notification\",\"data\":{\"type\":\"info\",\"event\":\"x\",\"extra\":2.0},"
                        + "\"success\":null,\"channel\":null,\"error\":null}");
    }

    @Test
    void fanOutEncodesOneFramePerChannelDifferingOnlyInChannel() {
        RawJsonObject data = RawJsonObject.parse("{\"k\":1}").orElseThrow();
        IngestedEvent event = codec.fanOut("U", WsMethod.NODE_EXECUTION_EVENT, data,
                List.of("U|graph_exec#E", "U|graph#G|executions"));
        assertThat(event.channelKeys()).containsExactly("U|graph_exec#E", "U|graph#G|executions");
        assertThat(event.deliveries().get(0).frame().text())
                .isEqualTo("{\"method\":\"node_execution_event\",\"data\":{\"k\":1},\"success\":null,"
                        + "\"channel\":\"U|graph_exec#E\",\"error\":null}");
        assertThat(event.deliveries().get(1).frame().text())
                .isEqualTo("{\"method\":\"node_execution_event\",\"data\":{\"k\":1},\"success\":null,"
                        + "\"channel\":\"U|graph#G|executions\",\"error\":null}");
    }

    @Test
    void encodedFrameIsEncodedOnceAndSharesItsBytesAcrossCalls() {
        EncodedFrame frame = codec.unsubscribeAck("é");
        TextFrame first = frame.frame();
        assertThat(frame.frame()).isSameAs(first);
        byte[] payload = Arrays.copyOfRange(first.wire(), first.payloadOffset(), first.wire().length);
        assertThat(payload).isEqualTo(frame.text().getBytes(StandardCharsets.UTF_8));
        assertThat(first.payloadLength()).isEqualTo(frame.text().length() + 1);
    }

    @Test
    void wrongMethodsForAcksAndEventsAreProgrammingErrors() {
        RawJsonObject data = RawJsonObject.parse("{}").orElseThrow();
        assertThatThrownBy(() -> codec.subscribeAck(WsMethod.UNSUBSCRIBE, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.event(WsMethod.NOTIFICATION, data, "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawJsonObjectAcceptsOnlyExactlyOneObject() {
        assertThat(RawJsonObject.parse(" {\"a\":1} ")).map(RawJsonObject::text).contains("{\"a\":1}");
        assertThat(RawJsonObject.parse("[1]")).isEmpty();
        assertThat(RawJsonObject.parse("\"s\"")).isEmpty();
        assertThat(RawJsonObject.parse("{\"a\":1},\"method\":\"x\"")).isEmpty();
        assertThat(RawJsonObject.parse("{\"a\":1}{}")).isEmpty();
        assertThat(RawJsonObject.parse("{\"a\":1,\"a\":2}")).isEmpty();
        assertThat(RawJsonObject.parse("{\"a\":")).isEmpty();
        assertThat(RawJsonObject.parse(null)).isEmpty();
    }
}
