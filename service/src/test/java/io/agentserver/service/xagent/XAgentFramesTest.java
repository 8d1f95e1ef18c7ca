package io.agentserver.service.xagent;

import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class XAgentFramesTest {

    private static Step step(String status, String dataJson) {
        return new Step("i1", 3, "0123456789abcdef0123456789abcdef", status, "1.1", dataJson,
                "[{\"name\":\"a.py\",\"suffix\":\"py\"}]", false, null, Instant.EPOCH);
    }

    @Test
    void aStepFrameHasExactlyTheSevenKeysInXAgentsOrder() {
        assertThat(XAgentFrames.step(step("inner", "{\"thoughts\":\"t\",\"n\":1.50}")))
                .isEqualTo("{\"data\":{\"thoughts\":\"t\",\"n\":1.50},\"status\":\"inner\",\"message\":\"success\","
                        + "\"success\":true,\"current\":\"1.1\",\"node_id\":\"0123456789abcdef0123456789abcdef\","
                        + "\"workspace_file_list\":[{\"name\":\"a.py\",\"suffix\":\"py\"}]}");
    }

    @Test
    void aFailedStepCarriesItsErrorInMessageAndDataAndStaysSuccessful() {
        var frame = Json.read(XAgentFrames.step(step("failed", "\"tool \\\"x\\\" broke\"")));
        assertThat(frame.path("message").asText()).isEqualTo("tool \"x\" broke");
        assertThat(frame.path("data").asText()).isEqualTo("tool \"x\" broke");
        assertThat(frame.path("success").asBoolean()).isTrue();
    }

    @Test
    void refusalsAndErrorsAreFourKeyFramesWithNullData() {
        assertThat(XAgentFrames.refused("connect", "user is not exist!"))
                .isEqualTo("{\"data\":null,\"status\":\"connect\",\"message\":\"user is not exist!\",\"success\":false}");
        assertThat(XAgentFrames.error("bad \"input\""))
                .isEqualTo("{\"data\":null,\"status\":\"error\",\"message\":\"bad \\\"input\\\"\",\"success\":false}");
    }

    @Test
    void theConnectFrameWrapsTheInteraction() {
        assertThat(XAgentFrames.connected(Json.object().put("interaction_id", "i1")))
                .isEqualTo("{\"data\":{\"interaction_id\":\"i1\"},\"status\":\"connect\","
                        + "\"message\":\"connect success\",\"success\":true}");
    }
}
