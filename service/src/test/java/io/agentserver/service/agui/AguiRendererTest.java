package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.AguiRun;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.PartialOutput;
import io.agentserver.service.store.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AguiRendererTest {

    private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

    private static AguiRun run(long fromSeq) {
        return new AguiRun("r" + fromSeq, "t", "i1", "u", "demo", fromSeq, AT);
    }

    private static Step step(long seq, String status, String current, JsonNode data, boolean ask, String files) {
        return new Step("i1", seq, "n" + seq, status, current, Json.write(data), files, ask, null, AT);
    }

    private static ObjectNode plan() {
        ObjectNode plan = Json.object().put("goal", "g");
        plan.putArray("subtasks").add(Json.object().put("task_id", "1.1").put("name", "A").put("goal", "a"))
                .add(Json.object().put("task_id", "1.2").put("name", "B").put("goal", "b"));
        return plan;
    }

    private static ObjectNode inner(String tool) {
        ObjectNode data = Json.object().put("thoughts", "think").put("reasoning", "why");
        data.putObject("using_tools").put("tool_name", tool).put("tool_output", "ok")
                .put("tool_status_code", "TOOL_CALL_SUCCESS").set("tool_input", Json.object().put("q", 1));
        return data;
    }

    private static List<String> types(List<ObjectNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void aSubtaskOpensAStepAndItsStateDeltasApplyToTheSnapshot() {
        AguiRenderer renderer = new AguiRenderer(run(0));
        List<ObjectNode> events = new ArrayList<>(renderer.open());
        events.addAll(renderer.step(step(0, "start", "1", plan(), false, "[]")));
        events.addAll(renderer.step(step(1, "inner", "1.1", inner("search"), false, "[{\"name\":\"a.md\",\"suffix\":\"md\"}]")));
        ObjectNode submit = inner("subtask_submit");
        ((ObjectNode) submit.path("using_tools")).put("tool_status_code", "SUBMIT_AS_SUCCESS");
        events.addAll(renderer.step(step(2, "subtask_submit", "1.1", submit, false, "[]")));
        events.addAll(renderer.step(step(3, "finished", "", Json.array(), false, "[]")));
        assertThat(types(events)).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "STEP_STARTED", "STATE_DELTA",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS",
                "TOOL_CALL_END", "TOOL_CALL_RESULT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT",
                "STEP_FINISHED", "STATE_DELTA", "RUN_FINISHED");
        JsonNode state = null;
        for (ObjectNode event : events) {
            if (event.path("type").asText().equals("STATE_SNAPSHOT")) {
                state = event.path("snapshot");
            } else if (event.path("type").asText().equals("STATE_DELTA")) {
                state = JsonPatch.apply(event.path("delta"), state);
            }
        }
        assertThat(state.path("plan").path("subtasks").get(0).path("status").asText()).isEqualTo("DONE");
        assertThat(state.path("plan").path("subtasks").get(1).path("status").asText()).isEqualTo("TODO");
        assertThat(state.path("files")).isEmpty();
        assertThat(renderer.finished()).isTrue();
        assertThat(renderer.step(step(4, "inner", "1.2", inner("x"), false, "[]"))).isEmpty();
    }

    @Test
    void aStepAwaitingAHumanClosesWhatIsOpenAndEndsTheRunWithAnInterruptThatTheNextRunResumes() {
        AguiRenderer first = new AguiRenderer(run(0));
        first.open();
        first.step(step(0, "start", "1", plan(), false, "[]"));
        List<ObjectNode> events = first.step(step(1, "inner", "1.1", inner("search"), true, "[]"));
        assertThat(types(events).subList(types(events).size() - 3, types(events).size()))
                .containsExactly("STEP_FINISHED", "STATE_SNAPSHOT", "RUN_FINISHED");
        JsonNode interrupt = events.getLast().path("outcome").path("interrupts").get(0);
        assertThat(interrupt.path("id").asText()).isEqualTo("n1");
        assertThat(interrupt.path("reason").asText()).isEqualTo("confirmation");

        AguiRenderer resumed = new AguiRenderer(run(2));
        assertThat(resumed.open()).isEmpty();
        assertThat(resumed.step(step(0, "start", "1", plan(), false, "[]"))).isEmpty();
        List<ObjectNode> prologue = resumed.step(step(1, "inner", "1.1", inner("search"), true, "[]"));
        assertThat(types(prologue)).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "STEP_STARTED");
        assertThat(prologue.get(1).path("snapshot").path("current").asText()).isEqualTo("1.1");
        assertThat(prologue.get(2).path("stepName").asText()).isEqualTo("1.1 A");
        assertThat(types(resumed.status(InteractionStatus.CLOSED)))
                .containsExactly("STEP_FINISHED", "RUN_FINISHED");
    }

    @Test
    void streamedPiecesBecomeOneEventEachAndTheStepThatFollowsOnlyAddsTheToolResult() {
        AguiRenderer renderer = new AguiRenderer(run(0));
        renderer.open();
        renderer.step(step(0, "start", "1", plan(), false, "[]"));
        ObjectNode pieces = Json.object();
        pieces.putArray("p")
                .add(Json.object().put("k", "text").put("c", "c1").put("d", "Hel"))
                .add(Json.object().put("k", "text").put("c", "c1").put("d", "lo"))
                .add(Json.object().put("k", "call").put("c", "c1").put("i", 0).put("id", "call_1").put("name", "search"))
                .add(Json.object().put("k", "args").put("c", "c1").put("id", "call_1").put("d", "{\"q\":"))
                .add(Json.object().put("k", "args").put("c", "c1").put("id", "call_1").put("d", "1}"))
                .add(Json.object().put("k", "end").put("c", "c1").put("r", "tool_calls"));
        List<ObjectNode> streamed = renderer.partial(new PartialOutput("i1", 0, 1, "pieces", Json.write(pieces), AT));
        assertThat(types(streamed)).containsExactly("TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_CONTENT", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_ARGS", "TEXT_MESSAGE_END",
                "TOOL_CALL_END");
        assertThat(streamed.get(3).path("parentMessageId").asText()).isEqualTo("i1:c1");
        List<ObjectNode> step = renderer.step(step(1, "inner", "1.1", inner("search"), false, "[]"));
        assertThat(types(step)).containsExactly("STEP_STARTED", "STATE_DELTA", "TOOL_CALL_RESULT");
        assertThat(step.getLast().path("toolCallId").asText()).isEqualTo("c1:call_1");
    }
}
