package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.WorkspaceStore;
import io.agentserver.service.xagent.XAgentFrames;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Renders a task's step log as A2A stream responses. Step {@code n} gives one or more events, ids {@code n.0},
 * {@code n.1}, …, each with {@code metadata: {seq, eventId, stepStatus}}:
 * <ul>
 *   <li>a working step ({@code running}, {@code start}, {@code inner}, …): a {@code WORKING} status update whose
 *       message has a text summary and a {@code data} part holding the step's XAgent frame; when the step waits
 *       for a human (manual mode) an {@code INPUT_REQUIRED} update follows;</li>
 *   <li>{@code ask_for_human_help}: {@code INPUT_REQUIRED} with the question;</li>
 *   <li>{@code finished}: one artifact update per workspace file the step lists, then {@code COMPLETED};</li>
 *   <li>{@code failed}: {@code FAILED} with the error.</li>
 * </ul>
 * A final status whose last step did not end the task that way (a run stopped: {@code CANCELED}) adds one more
 * event after that step's ({@link #trailer}). Everything comes from the stored step and the workspace, so a replay
 * renders the same events with the same ids.
 */
final class TaskEvents {

    /** A status a step reports: its state, the text of its message, and whether the step's frame goes with it. */
    private record Status(A2aState state, String text, boolean frame) {
    }

    private final WorkspaceStore workspace;

    TaskEvents(WorkspaceStore workspace) {
        this.workspace = workspace;
    }

    /** Every event of {@code step}, in order; reads the workspace for a {@code finished} step's artifacts. */
    List<TaskEvent> of(TaskRef task, Step step) {
        List<TaskEvent> events = new ArrayList<>();
        lazily(task, step).forEachRemaining(events::add);
        return events;
    }

    /**
     * The events of {@code step} one at a time: a {@code finished} step's artifacts are read from the workspace only
     * as each is asked for, so a view holds one file's event at most.
     */
    Iterator<TaskEvent> lazily(TaskRef task, Step step) {
        List<String> files = files(step);
        Iterator<TaskEvent> statuses = statusEvents(task, step).iterator();
        return new Iterator<>() {
            private int k;

            @Override
            public boolean hasNext() {
                return k < files.size() || statuses.hasNext();
            }

            @Override
            public TaskEvent next() {
                if (k < files.size()) {
                    String name = files.get(k);
                    byte[] content = workspace.get(task.taskId(), name).map(f -> f.content()).orElse(new byte[0]);
                    return artifactEvent(task, step, new EventId(step.seq(), k++), name, content);
                }
                return statuses.next();
            }
        };
    }

    /** The status events of {@code step} alone (its artifacts not read), with the ids they have in {@link #of}. */
    List<TaskEvent> statusEvents(TaskRef task, Step step) {
        List<TaskEvent> events = new ArrayList<>();
        int k = files(step).size();
        for (Status status : statuses(task, step)) {
            events.add(statusEvent(task, new EventId(step.seq(), k++), step.status(), status.state(), status.text(),
                    status.frame() ? Optional.of(step) : Optional.empty(), step.createTime()));
        }
        return events;
    }

    /** How many events {@code step} gives. */
    int count(Step step) {
        return files(step).size() + statuses(null, step).size();
    }

    /**
     * The event a final {@code status} adds after the log's {@code last} step when that step's own events did not
     * end the task in that state (a stopped run: {@code CANCELED}); none without a step (the task itself says it).
     */
    Optional<TaskEvent> trailer(TaskRef task, Optional<Step> last, InteractionStatus status, String message,
                                Instant at) {
        if (!status.isFinal() || last.isEmpty()) {
            return Optional.empty();
        }
        A2aState state = A2aState.ofFinal(status);
        List<Status> own = statuses(task, last.get());
        if (own.get(own.size() - 1).state() == state) {
            return Optional.empty();
        }
        String text = message == null || message.isBlank() ? "The task ended " + state.wire() : message;
        return Optional.of(statusEvent(task, new EventId(last.get().seq(), count(last.get())), last.get().status(),
                state, text, Optional.empty(), at));
    }

    private List<Status> statuses(TaskRef task, Step step) {
        List<Status> statuses = new ArrayList<>(2);
        switch (step.status()) {
            case StepStatus.ASK_FOR_HUMAN_HELP -> statuses.add(new Status(A2aState.INPUT_REQUIRED, question(step), true));
            case StepStatus.FINISHED -> statuses.add(new Status(A2aState.COMPLETED, finished(step), true));
            case StepStatus.FAILED -> statuses.add(new Status(A2aState.FAILED, text(data(step), "the run failed"), true));
            default -> {
                statuses.add(new Status(A2aState.WORKING, task == null ? "" : summary(task, step), true));
                if (step.askForHumanHelp()) {
                    statuses.add(new Status(A2aState.INPUT_REQUIRED, "Waiting for your review of step " + step.seq()
                            + " (" + step.status() + ") before going on: reply on this task; a data part (an object)"
                            + " is sent as the edited step, text as {\"answer\": …}", false));
                }
            }
        }
        return statuses;
    }

    private static TaskEvent artifactEvent(TaskRef task, Step step, EventId id, String name, byte[] content) {
        ObjectNode update = Json.object().put("taskId", task.taskId()).put("contextId", task.contextId());
        update.set("artifact", ArtifactParts.artifact(name, content));
        update.put("append", false).put("lastChunk", true);
        update.set("metadata", metadata(id, step.status()));
        ObjectNode response = Json.object();
        response.set("artifactUpdate", update);
        return new TaskEvent(id, Optional.empty(), response);
    }

    private static TaskEvent statusEvent(TaskRef task, EventId id, String stepStatus, A2aState state, String text,
                                         Optional<Step> frame, Instant at) {
        ObjectNode update = Json.object().put("taskId", task.taskId()).put("contextId", task.contextId());
        ObjectNode status = update.putObject("status").put("state", state.wire());
        ObjectNode message = status.putObject("message")
                .put("messageId", task.taskId() + "-" + id)
                .put("role", "ROLE_AGENT");
        ArrayNode parts = message.putArray("parts");
        parts.addObject().put("text", text);
        frame.ifPresent(step -> parts.addObject().put("mediaType", "application/json")
                .set("data", Json.read(XAgentFrames.step(step))));
        message.put("taskId", task.taskId()).put("contextId", task.contextId());
        status.put("timestamp", at.toString());
        update.set("metadata", metadata(id, stepStatus));
        ObjectNode response = Json.object();
        response.set("statusUpdate", update);
        return new TaskEvent(id, Optional.of(state), response);
    }

    private static ObjectNode metadata(EventId id, String stepStatus) {
        return Json.object().put("seq", id.seq()).put("eventId", id.toString()).put("stepStatus", stepStatus);
    }

    /** The workspace files a {@code finished} step lists (none for other steps). */
    private static List<String> files(Step step) {
        if (!StepStatus.FINISHED.equals(step.status())) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode file : Json.read(step.workspaceFilesJson())) {
            if (file.path("name").isTextual()) {
                names.add(file.path("name").asText());
            }
        }
        return names;
    }

    private static JsonNode data(Step step) {
        return Json.read(step.dataJson());
    }

    private static String question(Step step) {
        JsonNode data = data(step);
        if (data.isTextual()) {
            return data.asText();
        }
        for (String key : new String[] {"question", "message", "thoughts"}) {
            if (data.path(key).isTextual()) {
                return data.path(key).asText();
            }
        }
        return "The agent asks for your help: " + Json.write(data);
    }

    private static String finished(Step step) {
        int files = files(step).size();
        return "The task is complete" + (files == 0 ? "." : files == 1 ? "; 1 file." : "; " + files + " files.");
    }

    /** One line that says what a working step did. */
    private static String summary(TaskRef task, Step step) {
        JsonNode data = data(step);
        return switch (step.status()) {
            case StepStatus.RUNNING -> "Goal: " + (data.isTextual() ? data.asText() : task.goal());
            case StepStatus.START -> "Plan for " + text(data.path("goal"), task.goal()) + ": "
                    + subtasks(data.path("subtasks"));
            case StepStatus.INNER -> text(data.path("thoughts"), "Working on " + step.current())
                    + tool(data.path("using_tools").path("tool_name"));
            case StepStatus.SUBTASK_SUBMIT -> "Submitted " + step.current() + ": "
                    + text(data.path("using_tools").path("tool_input").path("result"),
                    text(data.path("thoughts"), "done"));
            case StepStatus.REFINEMENT -> "Reviewed " + text(data.path("task_id"), step.current()) + ": "
                    + text(data.path("action_list_summary"), "plan kept");
            case StepStatus.SUBTASK -> "Next: " + subtasks(data.isArray() ? data : data.path("subtasks"));
            default -> step.status() + (data.isTextual() ? ": " + data.asText() : "");
        };
    }

    private static String subtasks(JsonNode list) {
        List<String> names = new ArrayList<>();
        for (JsonNode subtask : list) {
            names.add(text(subtask.path("task_id"), "?") + " " + text(subtask.path("name"), text(subtask.path("goal"), "")));
        }
        return names.isEmpty() ? "(no subtasks)" : String.join("; ", names);
    }

    private static String tool(JsonNode name) {
        return name.isTextual() && !name.asText().isBlank() ? " (tool: " + name.asText() + ")" : "";
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : otherwise;
    }
}
