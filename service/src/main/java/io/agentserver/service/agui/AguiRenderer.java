package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.AguiRun;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.PartialOutput;
import io.agentserver.service.store.Step;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders one AG-UI run from the stored log: a pure function of the steps (in seq order), the partial output parts
 * (each before its step) and the final status, so that a live stream, a rejoin and a replay after the end produce
 * the same events. Steps before the run's first ({@link AguiRun#fromSeq()}) only build the state; parts before it
 * are skipped. The run ends at its first step that awaits a human (an interrupt), at the final step, or at a final
 * status; nothing is rendered after that. Not thread-safe: its view calls it under its lock.
 */
final class AguiRenderer {

    private static final EnumSet<DiffFlags> PATCH_FLAGS = EnumSet.of(DiffFlags.OMIT_VALUE_ON_REMOVE,
            DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);
    private static final String ABANDONED = "abandoned";
    /** A subtask's status in the state, in XAgent's words ({@code TODO}: not started yet). */
    private static final String NOT_STARTED = PlannedSubtask.NOT_STARTED;
    private static final String DOING = "DOING";
    private static final String DONE = "DONE";
    private static final String FAILED = "FAILED";
    static final ObjectNode ANSWER_SCHEMA = answerSchema();

    /** A streamed tool call whose arguments are complete and whose step has not come yet. */
    private record StreamedCall(String toolCallId, String name) {
    }

    /** The text of the last completion that streamed one, until a step shows it as its thoughts. */
    private record StreamedText(String messageId, String content) {
    }

    private final AguiRun run;
    private final ObjectNode state = Json.object();
    /** The state as the client has it (after the snapshot and deltas sent), or null before this run's snapshot. */
    private JsonNode sentState;
    private boolean started;
    private boolean finished;
    private String openText;
    private final StringBuilder openTextContent = new StringBuilder();
    private StreamedText streamedText;
    private final Map<String, String> openCalls = new LinkedHashMap<>();
    private final List<StreamedCall> unresulted = new ArrayList<>();
    private String openStep;
    private String openStepTask;
    private List<ObjectNode> out = new ArrayList<>();

    AguiRenderer(AguiRun run) {
        this.run = run;
        state.put("interactionId", run.interactionId());
        state.put("agent", run.agent());
        state.putNull("plan");
        state.putNull("current");
        state.set("files", Json.array());
    }

    boolean finished() {
        return finished;
    }

    /** The events that open the run, for a run that starts at the beginning of the log (none otherwise). */
    List<ObjectNode> open() {
        if (run.fromSeq() == 0 && !started) {
            prologue();
        }
        return drain();
    }

    /** The events of {@code step}; none before this run's first step (they only build the state). */
    List<ObjectNode> step(Step step) {
        if (finished) {
            return drain();
        }
        files(step);
        if (step.seq() < run.fromSeq()) {
            fold(step);
            if (step.seq() == run.fromSeq() - 1) {
                prologue();
            }
            return drain();
        }
        if (!started) {
            prologue();
        }
        JsonNode data = Json.parse(step.dataJson()).orElse(Json.mapper().nullNode());
        switch (step.status()) {
            case StepStatus.START -> {
                plan(data);
                stateEvent();
            }
            case StepStatus.INNER, StepStatus.SUBTASK_SUBMIT -> {
                enterSubtask(step.current());
                action(step, data);
                if (StepStatus.SUBTASK_SUBMIT.equals(step.status())) {
                    submitted(step.current(), data);
                }
                stateEvent();
            }
            case StepStatus.REFINEMENT -> {
                editSubtask(data);
                stateEvent();
            }
            case StepStatus.SUBTASK -> {
                if (data.isArray()) {
                    data.forEach(this::editSubtask);
                }
                stateEvent();
            }
            case StepStatus.FINISHED -> {
                closeOpen();
                finish(AguiEvents.runFinished(run.threadId(), run.runId(), AguiEvents.outcome("success")));
                return drain();
            }
            case StepStatus.FAILED -> {
                closeOpen();
                finish(AguiEvents.runError(data.isTextual() ? data.asText() : "the run failed", "agent_failed"));
                return drain();
            }
            default -> stateEvent();
        }
        if (step.askForHumanHelp()) {
            interrupt(step, data);
        }
        return drain();
    }

    /** The events of a part of streamed model output (in this run only): one event per piece the model sent. */
    List<ObjectNode> partial(PartialOutput part) {
        if (finished || part.beforeSeq() < run.fromSeq()) {
            return drain();
        }
        if (!started) {
            prologue();
        }
        JsonNode data = Json.parse(part.dataJson()).orElse(Json.object());
        for (JsonNode piece : data.path("p")) {
            piece(piece);
        }
        return drain();
    }

    private void piece(JsonNode piece) {
        String completion = piece.path("c").asText();
        switch (piece.path("k").asText()) {
            case "text" -> {
                String messageId = messageOf(completion);
                if (!messageId.equals(openText)) {
                    closeText();
                    out.add(AguiEvents.textStart(messageId, null));
                    openText = messageId;
                    openTextContent.setLength(0);
                }
                String delta = piece.path("d").asText();
                if (!delta.isEmpty()) {
                    out.add(AguiEvents.textContent(messageId, delta));
                    openTextContent.append(delta);
                }
            }
            case "call" -> {
                String id = callOf(completion, piece.path("id").asText(), piece.path("i").asInt());
                if (!openCalls.containsKey(id)) {
                    String parent = messageOf(completion).equals(openText) ? openText : null;
                    out.add(AguiEvents.toolStart(id, piece.path("name").asText("tool"), parent));
                    openCalls.put(id, piece.path("name").asText("tool"));
                }
            }
            case "args" -> {
                String id = callOf(completion, piece.path("id").asText(), -1);
                String delta = piece.path("d").asText();
                if (openCalls.containsKey(id) && !delta.isEmpty()) {
                    out.add(AguiEvents.toolArgs(id, delta));
                }
            }
            case "end" -> {
                boolean abandoned = ABANDONED.equals(piece.path("r").asText());
                if (messageOf(completion).equals(openText)) {
                    if (!abandoned) {
                        streamedText = new StreamedText(openText, openTextContent.toString());
                    }
                    closeText();
                }
                Iterator<Map.Entry<String, String>> calls = openCalls.entrySet().iterator();
                while (calls.hasNext()) {
                    Map.Entry<String, String> call = calls.next();
                    if (call.getKey().startsWith(completion + ":")) {
                        out.add(AguiEvents.toolEnd(call.getKey()));
                        if (!abandoned) {
                            unresulted.add(new StreamedCall(call.getKey(), call.getValue()));
                        }
                        calls.remove();
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The events of a status change the steps did not already end the run with (a cancel, a reaped run). */
    List<ObjectNode> status(InteractionStatus status) {
        if (finished || !status.isFinal()) {
            return drain();
        }
        if (!started) {
            prologue();
        }
        closeOpen();
        switch (status) {
            case FAILED -> finish(AguiEvents.runError("the run failed", "agent_failed"));
            case FINISHED -> finish(AguiEvents.runFinished(run.threadId(), run.runId(), AguiEvents.outcome("success")));
            default -> finish(AguiEvents.runFinished(run.threadId(), run.runId(), AguiEvents.outcome("cancelled")));
        }
        return drain();
    }

    // ---- the parts of a run ---------------------------------------------------------------------------

    private void prologue() {
        started = true;
        out.add(AguiEvents.runStarted(run.threadId(), run.runId()));
        if (run.fromSeq() > 0) {
            // a resumed run: the state first, then the subtask that was open when the run paused
            sentState = state.deepCopy();
            out.add(AguiEvents.stateSnapshot(state));
            String current = state.path("current").asText(null);
            if (current != null) {
                openStepTask = current;
                openStep = stepName(current);
                out.add(AguiEvents.stepStarted(openStep));
            }
        }
    }

    /** A step before this run: only the state it leaves. */
    private void fold(Step step) {
        JsonNode data = Json.parse(step.dataJson()).orElse(Json.mapper().nullNode());
        switch (step.status()) {
            case StepStatus.START -> plan(data);
            case StepStatus.INNER -> setStatus(step.current(), DOING, true);
            case StepStatus.SUBTASK_SUBMIT -> {
                setStatus(step.current(), DOING, true);
                submittedState(step.current(), data);
            }
            case StepStatus.REFINEMENT -> editSubtask(data);
            case StepStatus.SUBTASK -> {
                if (data.isArray()) {
                    data.forEach(this::editSubtask);
                }
            }
            default -> {
            }
        }
    }

    private void plan(JsonNode data) {
        ObjectNode plan = Json.object();
        plan.put("goal", data.path("goal").asText(""));
        ArrayNode subtasks = plan.putArray("subtasks");
        for (JsonNode subtask : data.path("subtasks")) {
            subtasks.addObject()
                    .put("task_id", subtask.path("task_id").asText())
                    .put("name", subtask.path("name").asText(""))
                    .put("goal", subtask.path("goal").asText(""))
                    .put("status", NOT_STARTED);
        }
        state.set("plan", plan);
        state.putNull("current");
    }

    /** The first step of a subtask opens it as an AG-UI step; the state's current subtask follows. */
    private void enterSubtask(String taskId) {
        if (taskId == null || taskId.isEmpty() || subtask(taskId).isEmpty()) {
            return;
        }
        if (taskId.equals(openStepTask)) {
            return;
        }
        if (openStep != null) {
            out.add(AguiEvents.stepFinished(openStep));
        }
        openStepTask = taskId;
        openStep = stepName(taskId);
        out.add(AguiEvents.stepStarted(openStep));
        setStatus(taskId, DOING, true);
        stateEvent();
    }

    private void submitted(String taskId, JsonNode data) {
        closeText();
        if (taskId.equals(openStepTask)) {
            out.add(AguiEvents.stepFinished(openStep));
            openStep = null;
            openStepTask = null;
        }
        submittedState(taskId, data);
    }

    private void submittedState(String taskId, JsonNode data) {
        String code = data.path("using_tools").path("tool_status_code").asText("");
        setStatus(taskId, code.endsWith("FAILED") ? FAILED : DONE, false);
        state.putNull("current");
    }

    /** A step's thoughts and tool call: a streamed call gets its result; anything else is shown whole. */
    private void action(Step step, JsonNode data) {
        JsonNode tool = data.path("using_tools");
        String toolName = tool.path("tool_name").asText("");
        Optional<StreamedCall> streamed = toolName.isEmpty() ? Optional.empty() : takeStreamed(toolName);
        String thoughts = data.path("thoughts").asText("");
        String messageId = step.nodeId();
        StreamedText text = streamedText;
        streamedText = null;
        boolean textStreamed = text != null && !thoughts.isBlank() && text.content().strip().equals(thoughts.strip());
        if (textStreamed) {
            messageId = text.messageId(); // the model's answer was this step's thoughts, already shown as it came
        }
        if (streamed.isEmpty() && !textStreamed) {
            closeText();
            if (!thoughts.isEmpty()) {
                ObjectNode metadata = Json.object();
                copyIf(data, metadata, "reasoning");
                copyIf(data, metadata, "plan");
                copyIf(data, metadata, "criticism");
                out.add(AguiEvents.textStart(messageId, metadata));
                out.add(AguiEvents.textContent(messageId, thoughts));
                out.add(AguiEvents.textEnd(messageId));
            }
        }
        if (toolName.isEmpty()) {
            return;
        }
        String toolCallId = streamed.map(StreamedCall::toolCallId).orElse(step.nodeId() + ":call");
        if (streamed.isEmpty()) {
            out.add(AguiEvents.toolStart(toolCallId, toolName, thoughts.isEmpty() && !textStreamed ? null : messageId));
            JsonNode input = tool.path("tool_input");
            String args = input.isMissingNode() ? "{}" : Json.write(input);
            out.add(AguiEvents.toolArgs(toolCallId, args));
            out.add(AguiEvents.toolEnd(toolCallId));
        }
        JsonNode output = tool.path("tool_output");
        ObjectNode metadata = Json.object().put("node_id", step.nodeId())
                .put("tool_status_code", tool.path("tool_status_code").asText(""));
        out.add(AguiEvents.toolResult(step.nodeId() + ":result", toolCallId,
                output.isTextual() ? output.asText() : output.isMissingNode() ? "" : Json.write(output), metadata));
    }

    private Optional<StreamedCall> takeStreamed(String toolName) {
        for (int i = 0; i < unresulted.size(); i++) {
            if (unresulted.get(i).name().equals(toolName)) {
                return Optional.of(unresulted.remove(i));
            }
        }
        return Optional.empty();
    }

    /** The run waits for a human: what is open is closed, the state sent whole, and the run ends as interrupted. */
    private void interrupt(Step step, JsonNode data) {
        closeOpen();
        sentState = state.deepCopy();
        out.add(AguiEvents.stateSnapshot(state));
        ObjectNode interrupt = Json.object().put("id", step.nodeId());
        if (StepStatus.ASK_FOR_HUMAN_HELP.equals(step.status())) {
            interrupt.put("reason", "input_required");
            interrupt.put("message", data.isTextual() ? data.asText() : Json.write(data));
            interrupt.set("responseSchema", ANSWER_SCHEMA.deepCopy());
            interrupt.set("metadata", Json.object().put("status", step.status()));
        } else {
            interrupt.put("reason", "confirmation");
            interrupt.put("message", "Review the " + step.status() + " step"
                    + (step.current().isEmpty() ? "" : " of " + step.current())
                    + " and resume with {} to go on, or with {\"goal\": …} to change the subtask");
            ObjectNode metadata = Json.object().put("status", step.status());
            metadata.set("data", data);
            interrupt.set("metadata", metadata);
        }
        ObjectNode outcome = AguiEvents.outcome("interrupt");
        outcome.putArray("interrupts").add(interrupt);
        unresulted.clear();
        finish(AguiEvents.runFinished(run.threadId(), run.runId(), outcome));
    }

    private void finish(ObjectNode last) {
        out.add(last);
        finished = true;
    }

    private void closeOpen() {
        closeText();
        for (String id : openCalls.keySet()) {
            out.add(AguiEvents.toolEnd(id));
        }
        openCalls.clear();
        if (openStep != null) {
            out.add(AguiEvents.stepFinished(openStep));
            openStep = null;
            openStepTask = null;
        }
    }

    private void closeText() {
        if (openText != null) {
            out.add(AguiEvents.textEnd(openText));
            openText = null;
            openTextContent.setLength(0);
        }
    }

    // ---- state ----------------------------------------------------------------------------------------

    /** The first state event of the run is a snapshot (once there is a plan); later ones are RFC 6902 deltas. */
    private void stateEvent() {
        if (sentState == null) {
            if (!state.path("plan").isNull()) {
                sentState = state.deepCopy();
                out.add(AguiEvents.stateSnapshot(state));
            }
            return;
        }
        JsonNode patch = JsonDiff.asJson(sentState, state, PATCH_FLAGS);
        if (!patch.isEmpty()) {
            sentState = state.deepCopy();
            out.add(AguiEvents.stateDelta(patch));
        }
    }

    private void files(Step step) {
        JsonNode files = Json.parse(step.workspaceFilesJson()).orElse(null);
        if (files == null || !files.isArray()) {
            return;
        }
        ArrayNode list = Json.array();
        for (JsonNode file : files) {
            list.addObject().put("name", file.path("name").asText()).put("suffix", file.path("suffix").asText());
        }
        state.set("files", list);
    }

    private void setStatus(String taskId, String status, boolean current) {
        subtask(taskId).ifPresent(s -> {
            if (!DONE.equals(s.path("status").asText()) && !FAILED.equals(s.path("status").asText())
                    || !current) {
                s.put("status", status);
            }
        });
        if (current && subtask(taskId).isPresent()) {
            state.put("current", taskId);
        }
    }

    private void editSubtask(JsonNode edited) {
        String taskId = edited.path("task_id").asText("");
        subtask(taskId).ifPresent(s -> {
            if (edited.path("name").isTextual()) {
                s.put("name", edited.path("name").asText());
            }
            if (edited.path("goal").isTextual()) {
                s.put("goal", edited.path("goal").asText());
            }
        });
    }

    private Optional<ObjectNode> subtask(String taskId) {
        for (JsonNode subtask : state.path("plan").path("subtasks")) {
            if (subtask.path("task_id").asText().equals(taskId)) {
                return Optional.of((ObjectNode) subtask);
            }
        }
        return Optional.empty();
    }

    private String stepName(String taskId) {
        return taskId + " " + subtask(taskId).map(s -> s.path("name").asText("")).orElse("");
    }

    private String messageOf(String completion) {
        return run.interactionId() + ":" + completion;
    }

    private static String callOf(String completion, String modelId, int index) {
        return completion + ":" + (modelId.isEmpty() ? "call" + index : modelId);
    }

    private static void copyIf(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.path(field);
        boolean empty = value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
        if (!empty) {
            to.set(field, value);
        }
    }

    private List<ObjectNode> drain() {
        if (out.isEmpty()) {
            return List.of();
        }
        List<ObjectNode> events = out;
        out = new ArrayList<>();
        return events;
    }

    private static ObjectNode answerSchema() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("answer").put("type", "string");
        schema.putArray("required").add("answer");
        return schema;
    }
}
