package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How remote steps look as XAgent inner steps, for plain servers and for AutoGPT's richer steps. */
class InnerStepDataTest {

    /** A step of AutoGPT's agent protocol server (autogpt/app/agent_protocol_server.py): ran a command, proposes ask_user. */
    private static final String AUTOGPT_STEP = """
            {"task_id":"t","step_id":"s2","name":null,"status":"completed","is_last":false,"artifacts":[],
             "output":"`read_file(filename='notes.txt')` returned: hello\\n\\nI need the colour.\\n\\nWhich colour?",
             "additional_output":{
               "last_action":{"name":"read_file","args":{"filename":"notes.txt"},
                              "result":{"outputs":"hello","status":"success"}},
               "thoughts":{"text":"The notes do not say","reasoning":"Only the user knows",
                           "plan":"- ask the user\\n- write the summary","criticism":"Should have asked first",
                           "speak":"I need the colour."},
               "command":{"name":"ask_user","args":{"question":"Which colour?"}}}}
            """;

    @Test
    void anAutoGptStepShowsItsThoughtsAndTheCommandItRan() {
        RemoteStep step = RemoteStep.from(Json.read(AUTOGPT_STEP));
        JsonNode data = InnerStepData.inner(step, null, List.of(), "n1");

        assertThat(data.path("thoughts").asText()).isEqualTo("The notes do not say");
        assertThat(data.path("reasoning").asText()).isEqualTo("Only the user knows");
        assertThat(data.path("plan")).extracting(JsonNode::asText).containsExactly("ask the user", "write the summary");
        assertThat(data.path("criticism").asText()).isEqualTo("Should have asked first");
        JsonNode tool = data.path("using_tools");
        assertThat(tool.path("tool_name").asText()).isEqualTo("read_file");
        assertThat(tool.path("tool_input").path("filename").asText()).isEqualTo("notes.txt");
        assertThat(tool.path("tool_output").asText()).isEqualTo("hello");
        assertThat(tool.path("tool_status_code").asText()).isEqualTo("TOOL_CALL_SUCCESS");
        assertThat(InputRequest.question(step)).contains("Which colour?");
    }

    @Test
    void aCommandThatFailedIsAFailedToolCall() {
        JsonNode raw = Json.read(AUTOGPT_STEP);
        ((com.fasterxml.jackson.databind.node.ObjectNode) raw.path("additional_output").path("last_action"))
                .set("result", Json.object().put("error", "FileNotFoundError").put("reason", "no notes.txt"));
        JsonNode tool = InnerStepData.inner(RemoteStep.from(raw), null, List.of(), "n1").path("using_tools");
        assertThat(tool.path("tool_status_code").asText()).isEqualTo("TOOL_CALL_FAILED");
        assertThat(tool.path("tool_output").asText()).contains("no notes.txt");
    }

    @Test
    void aPlainStepShowsItsNameInputAndOutput() {
        RemoteStep step = RemoteStep.from(Json.read("""
                {"task_id":"t","step_id":"s1","name":"write_file","status":"completed","is_last":true,
                 "output":"Wrote a.txt","artifacts":[]}
                """));
        JsonNode data = InnerStepData.inner(step, "go on", List.of("a.txt"), "n2");
        assertThat(data.path("thoughts").asText()).isEqualTo("Wrote a.txt");
        assertThat(data.path("node_id").asText()).isEqualTo("n2");
        assertThat(data.path("using_tools").path("tool_name").asText()).isEqualTo("write_file");
        assertThat(data.path("using_tools").path("tool_input").path("input").asText()).isEqualTo("go on");
        assertThat(data.path("using_tools").path("tool_output").asText()).isEqualTo("Wrote a.txt");
        assertThat(data.path("artifacts").get(0).asText()).isEqualTo("a.txt");
        assertThat(data.path("is_last").asBoolean()).isTrue();
    }
}
