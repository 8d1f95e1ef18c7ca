package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.A2aTaskStore;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads tasks: finds a user's task (another user's does not exist), and builds the A2A {@code Task} of an
 * interaction — its state and status from the step log (the same status its last event showed), its artifacts (the
 * workspace files), its history (the user's messages) and {@code metadata.agent}.
 */
final class TaskReader {

    /** A task and where its log stands: the last step stored when it was read, if any. */
    record Snapshot(Interaction interaction, TaskRef ref, Optional<Step> last) {

        /**
         * The task's state, from its status and its last step. A final step counts before the status says so (a run
         * stores its last step, then changes its status): the task is what its last event said.
         */
        A2aState state() {
            InteractionStatus status = interaction.status();
            if (status.isFinal()) {
                return A2aState.ofFinal(status);
            }
            Optional<String> finalStep = last.map(Step::status).filter(StepStatus::isFinal);
            if (finalStep.isPresent()) {
                return StepStatus.FINISHED.equals(finalStep.get()) ? A2aState.COMPLETED : A2aState.FAILED;
            }
            if (!status.isActive()) {
                return A2aState.SUBMITTED;
            }
            return waiting().isPresent() ? A2aState.INPUT_REQUIRED : A2aState.WORKING;
        }

        /** The step the run waits on for a human reply, if it waits. */
        Optional<Step> waiting() {
            if (!interaction.status().isActive()) {
                return Optional.empty();
            }
            return last.filter(s -> s.askForHumanHelp() && !s.answered());
        }

        /** The seq of the last step read (-1: none). */
        long lastSeq() {
            return last.map(Step::seq).orElse(-1L);
        }
    }

    private final Stores stores;
    private final A2aTaskStore tasks;
    private final TaskEvents events;
    private final String defaultAgent;

    TaskReader(Stores stores, A2aTaskStore tasks, TaskEvents events, String defaultAgent) {
        this.stores = stores;
        this.tasks = tasks;
        this.events = events;
        this.defaultAgent = defaultAgent;
    }

    /** The user's task {@code id}, read now; empty when it does not exist, was deleted, or is another user's. */
    Optional<Snapshot> owned(String id, String userId) {
        return stores.interactions().find(id)
                .filter(i -> !i.deleted() && i.userId().equals(userId))
                .map(this::snapshot);
    }

    Snapshot snapshot(Interaction interaction) {
        return snapshot(interaction, tasks.contextId(interaction.interactionId()).orElse(interaction.interactionId()));
    }

    Snapshot snapshot(Interaction interaction, String contextId) {
        String id = interaction.interactionId();
        Interaction current = interaction;
        Optional<Step> last = Optional.empty();
        // The status and the last step, read so that they agree: a run stores a step, then changes its status.
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<LogHead> head = stores.interactions().head(id);
            if (head.isEmpty()) {
                break;
            }
            last = head.get().lastSeq() < 0 ? Optional.empty()
                    : stores.steps().page(id, head.get().lastSeq(), 1, Long.MAX_VALUE).stream().findFirst();
            if (head.get().status() == current.status()) {
                break;
            }
            current = stores.interactions().find(id).orElse(current);
        }
        return new Snapshot(current, ref(current, contextId), last);
    }

    TaskRef ref(Interaction interaction, String contextId) {
        List<String> parameters = stores.parameters().list(interaction.interactionId());
        String goal = parameters.isEmpty() ? "" : Json.read(parameters.get(0)).path("goal").asText("");
        String agent = interaction.agent() == null || interaction.agent().isBlank() ? defaultAgent : interaction.agent();
        return new TaskRef(interaction.interactionId(), contextId, goal, agent);
    }

    /**
     * The A2A {@code Task}.
     *
     * @param historyLength the most recent user messages to include; empty: all
     * @param artifacts     include the workspace files
     */
    ObjectNode task(Snapshot snapshot, OptionalInt historyLength, boolean artifacts) {
        TaskRef ref = snapshot.ref();
        ObjectNode task = Json.object().put("id", ref.taskId()).put("contextId", ref.contextId());
        task.set("status", status(snapshot));
        ArrayNode files = task.putArray("artifacts");
        if (artifacts) {
            for (String name : stores.workspace().list(ref.taskId())) {
                stores.workspace().get(ref.taskId(), name)
                        .ifPresent(f -> files.add(ArtifactParts.artifact(name, f.content())));
            }
        }
        ArrayNode history = task.putArray("history");
        List<JsonNode> messages = history(snapshot);
        int from = historyLength.isPresent() ? Math.max(0, messages.size() - historyLength.getAsInt()) : 0;
        messages.subList(from, messages.size()).forEach(history::add);
        task.putObject("metadata").put("agent", ref.agent());
        return task;
    }

    /** The task's status: the last status event its log gives, or what the interaction says before any step. */
    ObjectNode status(Snapshot snapshot) {
        Interaction interaction = snapshot.interaction();
        A2aState state = snapshot.state();
        Optional<ObjectNode> fromLog = Optional.empty();
        if (interaction.status().isFinal()) {
            fromLog = events.trailer(snapshot.ref(), snapshot.last(), interaction.status(), interaction.message(),
                            interaction.updateTime()).map(TaskEvent::status)
                    .or(() -> snapshot.last().map(s -> lastStatus(snapshot.ref(), s)));
        } else if (snapshot.last().isPresent()) {
            ObjectNode last = lastStatus(snapshot.ref(), snapshot.last().get());
            if (last.path("state").asText().equals(state.wire())) {
                fromLog = Optional.of(last);
            }
        }
        return fromLog.filter(s -> s.path("state").asText().equals(state.wire())).orElseGet(() -> {
            ObjectNode status = Json.object().put("state", state.wire());
            if (interaction.status().isFinal() && interaction.message() != null && !interaction.message().isBlank()) {
                status.putObject("message").put("messageId", interaction.interactionId() + "-status")
                        .put("role", "ROLE_AGENT")
                        .put("taskId", interaction.interactionId()).put("contextId", snapshot.ref().contextId())
                        .putArray("parts").addObject().put("text", interaction.message());
            }
            Instant at = snapshot.last().map(Step::createTime).orElse(interaction.updateTime());
            return status.put("timestamp", (at == null ? Instant.now() : at).toString());
        });
    }

    private ObjectNode lastStatus(TaskRef ref, Step step) {
        List<TaskEvent> statuses = events.statusEvents(ref, step);
        return statuses.get(statuses.size() - 1).status();
    }

    /**
     * The user's messages: those an A2A client sent, as sent; for a run started elsewhere, its goal and replies as
     * user messages.
     */
    private List<JsonNode> history(Snapshot snapshot) {
        String id = snapshot.ref().taskId();
        List<String> sent = tasks.messages(id);
        if (!sent.isEmpty()) {
            return sent.stream().map(Json::read).toList();
        }
        List<String> parameters = stores.parameters().list(id);
        return java.util.stream.IntStream.range(0, parameters.size()).mapToObj(i -> {
            JsonNode args = Json.read(parameters.get(i));
            ObjectNode message = Json.object().put("messageId", id + "-m" + i).put("role", "ROLE_USER");
            ArrayNode parts = message.putArray("parts");
            if (i == 0 && args.path("goal").isTextual()) {
                parts.addObject().put("text", args.path("goal").asText());
            } else {
                parts.addObject().set("data", args);
            }
            message.put("taskId", id).put("contextId", snapshot.ref().contextId());
            return (JsonNode) message;
        }).toList();
    }
}
