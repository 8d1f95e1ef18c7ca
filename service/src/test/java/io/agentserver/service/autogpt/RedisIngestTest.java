package io.agentserver.service.autogpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RedisIngestTest {
    private final RedisIngest ingest = new RedisIngest(RedisChannels.defaults(), new SubscriptionCodec());

    /** A GraphExecutionEvent as AutoGPT's executor publishes it, with fields we do not know. */
    private static final String GRAPH_EVENT = "{\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\",\"graph_version\":3,"
            + "\"inputs\":{\"x\":1.0},\"credential_inputs\":null,\"nodes_input_masks\":null,\"preset_id\":null,"
            + "\"status\":\"RUNNING\",\"started_at\":\"2024-07-05T09:37:10.972000Z\",\"ended_at\":null,"
            + "\"stats\":{\"cost\":0,\"duration\":1.50,\"node_exec_time\":1e-3},\"outputs\":{},"
            + "\"is_shared\":false,\"share_token\":null,\"event_type\":\"graph_execution_update\"}";

    private static final String NODE_EVENT = "{\"user_id\":\"U\",\"graph_id\":\"G\",\"graph_version\":3,"
            + "\"graph_exec_id\":\"E\",\"node_exec_id\":\"NE\",\"node_id\":\"N\",\"block_id\":\"B\",\"status\":\"COMPLETED\","
            + "\"input_data\":{\"a\":\"é\"},\"output_data\":{\"out\":[12345678901234567890.10]},"
            + "\"add_time\":\"2024-07-05T09:37:10.972000Z\",\"queue_time\":null,\"start_time\":null,\"end_time\":null,"
            + "\"event_type\":\"node_execution_update\"}";

    private static String envelope(String event) {
        return "{\"payload\":" + event + "}";
    }

    private static String frame(String method, String data, String channel) {
        return "{\"method\":\"" + method + "\",\"data\":" + data + ",\"success\":null,"
                + (channel == null ? "\"channel\":null" : "\"channel\":\"" + channel + "\"") + ",\"error\":null}";
    }

    @Test
    void classicGraphEventGoesToExecutionAndGraphSubscribersAsPublished() {
        IngestedEvent event = ingest.decode("execution_event/U/G/E", envelope(GRAPH_EVENT)).orElseThrow();
        assertThat(event.userId()).isEqualTo("U");
        assertThat(event.method()).isEqualTo(WsMethod.GRAPH_EXECUTION_EVENT);
        assertThat(event.channelKeys()).containsExactly("U|graph_exec#E", "U|graph#G|executions");
        assertThat(event.deliveries().get(0).frame().text())
                .isEqualTo(frame("graph_execution_event", GRAPH_EVENT, "U|graph_exec#E"));
        assertThat(event.deliveries().get(1).frame().text())
                .isEqualTo(frame("graph_execution_event", GRAPH_EVENT, "U|graph#G|executions"));
    }

    @Test
    void classicNodeEventGoesToExecutionAndGraphSubscribers() {
        IngestedEvent event = ingest.decode("execution_event/U/G/E", envelope(NODE_EVENT)).orElseThrow();
        assertThat(event.method()).isEqualTo(WsMethod.NODE_EXECUTION_EVENT);
        assertThat(event.channelKeys()).containsExactly("U|graph_exec#E", "U|graph#G|executions");
        assertThat(event.deliveries().get(0).frame().text())
                .isEqualTo(frame("node_execution_event", NODE_EVENT, "U|graph_exec#E"));
    }

    @Test
    void shardedExecutionChannelGoesToExecutionSubscribersOnly() {
        IngestedEvent graph = ingest.decode("execution_event/{U/G}/exec/E", envelope(GRAPH_EVENT)).orElseThrow();
        assertThat(graph.channelKeys()).containsExactly("U|graph_exec#E");
        IngestedEvent node = ingest.decode("execution_event/{U/G}/exec/E", envelope(NODE_EVENT)).orElseThrow();
        assertThat(node.channelKeys()).containsExactly("U|graph_exec#E");
        assertThat(node.deliveries().get(0).frame().text())
                .isEqualTo(frame("node_execution_event", NODE_EVENT, "U|graph_exec#E"));
    }

    @Test
    void shardedAllChannelGoesToGraphSubscribersOnly() {
        IngestedEvent graph = ingest.decode("execution_event/{U/G}/all", envelope(GRAPH_EVENT)).orElseThrow();
        assertThat(graph.channelKeys()).containsExactly("U|graph#G|executions");
        IngestedEvent node = ingest.decode("execution_event/{U/G}/all", envelope(NODE_EVENT)).orElseThrow();
        assertThat(node.channelKeys()).containsExactly("U|graph#G|executions");
        assertThat(node.deliveries().get(0).frame().text())
                .isEqualTo(frame("node_execution_event", NODE_EVENT, "U|graph#G|executions"));
    }

    @Test
    void whitespaceInsideThePayloadIsForwardedVerbatim() {
        String spaced = "{ \"id\" : \"E\", \"user_id\":\"U\",\n \"graph_id\":\"G\", \"n\": 1.000, "
                + "\"event_type\":\"graph_execution_update\" }";
        IngestedEvent event = ingest.decode("execution_event/U/G/E", " {\"other\":[1,{}], \"payload\" : " + spaced + " } ")
                .orElseThrow();
        assertThat(event.deliveries().get(0).frame().text()).isEqualTo(frame("graph_execution_event", spaced, "U|graph_exec#E"));
    }

    @Test
    void notificationGoesToEverySocketOfTheUserWithTheInnerPayload() {
        String inner = "{\"type\":\"onboarding\",\"event\":\"step_completed\",\"step\":\"WELCOME\",\"n\":1.0}";
        String message = "{\"payload\":{\"user_id\":\"U\",\"payload\":" + inner + "}}";
        IngestedEvent event = ingest.decode("notification_event/U", message).orElseThrow();
        assertThat(event.userId()).isEqualTo("U");
        assertThat(event.method()).isEqualTo(WsMethod.NOTIFICATION);
        assertThat(event.channelKeys()).isEmpty();
        assertThat(event.deliveries()).singleElement().satisfies(delivery -> {
            assertThat(delivery.toEverySocketOfUser()).isTrue();
            assertThat(delivery.frame().text()).isEqualTo(frame("notification", inner, null));
        });
    }

    @Test
    void errorCommsUpdateIsDropped() {
        String tooLarge = "{\"payload\":{\"event_type\":\"error_comms_update\",\"error\":\"Payload too large for Redis transmission\","
                + "\"original_size_bytes\":20000000,\"max_size_bytes\":16777216}}";
        assertThat(ingest.decode("execution_event/U/G/E", tooLarge)).isEmpty();
        assertThat(ingest.decode("execution_event/{U/G}/all", tooLarge)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "{\"payload\":",
            "[]",
            "null",
            "{}",
            "{\"payload\":null}",
            "{\"payload\":\"text\"}",
            "{\"payload\":[]}",
            "{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}",
            "{\"payload\":{\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"something_else\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":1,\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":7,\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":null,\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"node_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"}} x",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\",\"x\":}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"user_id\":\"U\",\"graph_id\":\"G\"}}",
            "{\"payload\":{\"event_type\":\"graph_execution_update\",\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G\"},\"payload\":{}}"})
    void malformedOrWrongShapedExecutionMessagesAreDropped(String message) {
        assertThat(ingest.decode("execution_event/U/G/E", message)).isEmpty();
    }

    @Test
    void eventOfAnotherUserThanTheChannelNamesIsDropped() {
        String otherUser = GRAPH_EVENT.replace("\"user_id\":\"U\"", "\"user_id\":\"V\"");
        assertThat(ingest.decode("execution_event/U/G/E", envelope(otherUser))).isEmpty();
        assertThat(ingest.decode("execution_event/{U/G}/exec/E", envelope(otherUser))).isEmpty();
        assertThat(ingest.decode("execution_event/{U/G}/all", envelope(otherUser))).isEmpty();
        String otherNodeUser = NODE_EVENT.replace("\"user_id\":\"U\"", "\"user_id\":\"V\"");
        assertThat(ingest.decode("execution_event/U/G/E", envelope(otherNodeUser))).isEmpty();
    }

    @Test
    void eventWhoseGraphOrExecutionDiffersFromTheChannelIsDropped() {
        assertThat(ingest.decode("execution_event/U/G2/E", envelope(GRAPH_EVENT))).isEmpty();
        assertThat(ingest.decode("execution_event/U/G/E2", envelope(GRAPH_EVENT))).isEmpty();
        assertThat(ingest.decode("execution_event/{U/G}/exec/E2", envelope(NODE_EVENT))).isEmpty();
        assertThat(ingest.decode("execution_event/{U/G2}/all", envelope(NODE_EVENT))).isEmpty();
    }

    @Test
    void idsContainingSlashesCannotImpersonateAnotherUsersChannel() {
        // user "U/G" graph "x" on a classic channel that a pattern for user "U" would also match
        String event = "{\"id\":\"E\",\"user_id\":\"U/G\",\"graph_id\":\"x\",\"event_type\":\"graph_execution_update\"}";
        IngestedEvent ingested = ingest.decode("execution_event/U/G/x/E", envelope(event)).orElseThrow();
        assertThat(ingested.userId()).isEqualTo("U/G");
        assertThat(ingested.channelKeys()).allMatch(key -> key.startsWith("U/G|"));
        String claimsU = "{\"id\":\"E\",\"user_id\":\"U\",\"graph_id\":\"G/x\",\"event_type\":\"graph_execution_update\"}";
        assertThat(ingest.decode("execution_event/U/G/x/E", envelope(claimsU)).orElseThrow().channelKeys())
                .containsExactly("U|graph_exec#E", "U|graph#G/x|executions");
    }

    @Test
    void notificationForAnotherUserIsDropped() {
        String message = "{\"payload\":{\"user_id\":\"V\",\"payload\":{\"type\":\"info\",\"event\":\"x\"}}}";
        assertThat(ingest.decode("notification_event/U", message)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "{\"payload\":{\"user_id\":\"U\"}}",
            "{\"payload\":{\"user_id\":\"U\",\"payload\":null}}",
            "{\"payload\":{\"user_id\":\"U\",\"payload\":\"x\"}}",
            "{\"payload\":{\"user_id\":\"U\",\"payload\":{\"event\":\"x\"}}}",
            "{\"payload\":{\"user_id\":\"U\",\"payload\":{\"type\":\"info\"}}}",
            "{\"payload\":{\"user_id\":\"U\",\"payload\":{\"type\":1,\"event\":\"x\"}}}",
            "{\"payload\":{\"payload\":{\"type\":\"info\",\"event\":\"x\"}}}",
            "{\"user_id\":\"U\",\"payload\":{\"type\":\"info\",\"event\":\"x\"}}"})
    void malformedNotificationsAreDropped(String message) {
        assertThat(ingest.decode("notification_event/U", message)).isEmpty();
    }

    @Test
    void messagesOnUnknownChannelsAreDropped() {
        assertThat(ingest.decode("other_bus/U/G/E", envelope(GRAPH_EVENT))).isEmpty();
        assertThat(ingest.decode("execution_eventX/U/G/E", envelope(GRAPH_EVENT))).isEmpty();
        assertThat(ingest.decode(null, envelope(GRAPH_EVENT))).isEmpty();
        assertThat(ingest.decode("execution_event/U/G/E", null)).isEmpty();
    }

    @Test
    void deeplyNestedPayloadIsDroppedWithoutThrowing() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String event = GRAPH_EVENT.replace("\"outputs\":{}", "\"outputs\":" + deep);
        Optional<IngestedEvent> result = ingest.decode("execution_event/U/G/E", envelope(event));
        assertThat(result).isEmpty();
    }

    @Test
    void customBusNamesAreHonoured() {
        RedisIngest custom = new RedisIngest(new RedisChannels("bus", "nbus"), new SubscriptionCodec());
        assertThat(custom.decode("bus/U/G/E", envelope(GRAPH_EVENT))).isPresent();
        assertThat(custom.decode("execution_event/U/G/E", envelope(GRAPH_EVENT))).isEmpty();
        assertThat(custom.decode("nbus/U", "{\"payload\":{\"user_id\":\"U\",\"payload\":{\"type\":\"t\",\"event\":\"e\"}}}"))
                .isPresent();
    }
}
