package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading remote steps and artifacts, and recognising a step that asks the human. */
class RemoteStepTest {

    @Test
    void anAutoGptStepProposingAskUserAsksItsQuestion() {
        ObjectNode step = step("plan", "I need to know more");
        step.putObject("additional_output").putObject("use_tool").put("name", "ask_user")
                .putObject("arguments").put("question", "Which city?");
        assertThat(InputRequest.question(RemoteStep.from(step))).contains("Which city?");
    }

    @Test
    void aStepNamedAskUserAsksItsOutput() {
        assertThat(InputRequest.question(RemoteStep.from(step("ask_user", "Which colour?")))).contains("Which colour?");
    }

    @Test
    void otherStepsAndTheLastStepAskNothing() {
        assertThat(InputRequest.question(RemoteStep.from(step("write_file", "ask_user")))).isEmpty();
        assertThat(InputRequest.question(RemoteStep.from(step("ask_user", "Which colour?").put("is_last", true))))
                .isEmpty();
    }

    @Test
    void aHumanReplyBecomesTheNextInput() {
        assertThat(InputRequest.answer(Json.object().put("input", "teal"))).contains("teal");
        assertThat(InputRequest.answer(Json.object().put("goal", "focus on teal"))).contains("focus on teal");
        assertThat(InputRequest.answer(Json.object().put("thoughts", "ok"))).contains("ok");
        assertThat(InputRequest.answer(Json.mapper().getNodeFactory().textNode("plain"))).contains("plain");
        assertThat(InputRequest.answer(Json.object().put("colour", "teal"))).contains("{\"colour\":\"teal\"}");
        assertThat(InputRequest.answer(Json.object())).isEmpty();
        assertThat(InputRequest.answer(Json.object().put("input", " "))).isEmpty();
    }

    @Test
    void outputThatIsNotAStringIsKeptAsJsonText() {
        ObjectNode step = step("s", null);
        step.putObject("output").put("tokens", 7);
        assertThat(RemoteStep.from(step).output()).isEqualTo("{\"tokens\":7}");
        assertThat(RemoteStep.from(step("s", null)).additionalOutput().isNull()).isTrue();
    }

    @Test
    void aStepWithoutIdIsRefused() {
        assertThatThrownBy(() -> RemoteStep.from(Json.object().put("name", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void artifactNamesStayInsideTheWorkspace() {
        assertThat(List.of(
                artifact("../../etc", "passwd").workspaceName(),
                artifact("/abs/./dir/", "a.py").workspaceName(),
                artifact("", "..").workspaceName(),
                artifact("out", "report.md").workspaceName(),
                artifact("win\\dir", "b.txt").workspaceName()))
                .containsExactly("etc/passwd", "abs/dir/a.py", "id-1", "out/report.md", "win/dir/b.txt");
    }

    private static RemoteArtifact artifact(String relativePath, String fileName) {
        return RemoteArtifact.from(Json.object().put("artifact_id", "id-1").put("file_name", fileName)
                .put("relative_path", relativePath).put("agent_created", true)).orElseThrow();
    }

    private static ObjectNode step(String name, String output) {
        ObjectNode step = Json.object().put("task_id", "t").put("step_id", "s1").put("name", name)
                .put("status", "completed").put("is_last", false);
        step.set("artifacts", Json.array());
        if (output != null) {
            step.put("output", output);
        }
        return step;
    }
}
