package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.A2aTaskStore;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Page;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** {@code GetTask} and {@code ListTasks}: only the caller's tasks; another user's do not exist. */
final class TaskQueries {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 100;

    private final A2aTaskStore tasks;
    private final TaskReader reader;

    TaskQueries(A2aTaskStore tasks, TaskReader reader) {
        this.tasks = tasks;
        this.reader = reader;
    }

    Answer get(ObjectNode params, String userId) {
        Optional<String> id = taskId(params);
        if (id.isEmpty()) {
            return Answer.failure(RpcError.invalidParams("\"id\" (the task id) is required"));
        }
        Optional<OptionalInt> history = historyLength(params);
        if (history.isEmpty()) {
            return Answer.failure(RpcError.invalidParams("\"historyLength\" must be a number, 0 or more"));
        }
        return reader.owned(id.get(), userId)
                .<Answer>map(snapshot -> new Answer.Result(reader.task(snapshot, history.get(), true)))
                .orElseGet(() -> Answer.failure(RpcError.taskNotFound(id.get())));
    }

    Answer list(ObjectNode params, String userId) {
        JsonNode size = params.path("pageSize");
        if (!size.isMissingNode() && !size.isNull()
                && !(size.canConvertToInt() && size.asInt() >= 1 && size.asInt() <= MAX_PAGE_SIZE)) {
            return Answer.failure(RpcError.invalidParams("\"pageSize\" is 1 to " + MAX_PAGE_SIZE));
        }
        int pageSize = size.canConvertToInt() ? size.asInt() : DEFAULT_PAGE_SIZE;
        Optional<OptionalInt> history = historyLength(params);
        if (history.isEmpty()) {
            return Answer.failure(RpcError.invalidParams("\"historyLength\" must be a number, 0 or more"));
        }
        Optional<A2aTaskStore.Position> after = Optional.empty();
        String token = params.path("pageToken").asText("");
        if (!token.isEmpty()) {
            after = PageToken.parse(token);
            if (after.isEmpty()) {
                return Answer.failure(RpcError.invalidParams("\"pageToken\" is not one this server gave"));
            }
        }
        Set<InteractionStatus> statuses = Set.of();
        String state = params.path("status").asText("");
        if (!state.isEmpty() && !state.equals("TASK_STATE_UNSPECIFIED")) {
            Optional<A2aState> filter = A2aState.fromWire(state);
            if (filter.isEmpty()) {
                return Answer.failure(RpcError.invalidParams("\"status\" is not a task state: " + state));
            }
            if (filter.get().statuses().isEmpty()) {
                return new Answer.Result(listing(List.of(), "", pageSize, 0));
            }
            statuses = filter.get().statuses();
        }
        Optional<Instant> since = Optional.empty();
        String sinceText = params.path("statusTimestampAfter").asText("");
        if (!sinceText.isEmpty()) {
            try {
                since = Optional.of(Instant.parse(sinceText));
            } catch (DateTimeParseException e) {
                return Answer.failure(RpcError.invalidParams("\"statusTimestampAfter\" is not an ISO 8601 instant"));
            }
        }
        Optional<String> context = Optional.of(params.path("contextId").asText("")).filter(c -> !c.isEmpty());
        Page<A2aTaskStore.ListedTask> page = tasks.list(new A2aTaskStore.TaskQuery(userId, context, statuses, since,
                after, pageSize + 1));
        List<A2aTaskStore.ListedTask> rows = page.rows();
        String next = "";
        if (rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            A2aTaskStore.ListedTask last = rows.get(rows.size() - 1);
            next = PageToken.of(new A2aTaskStore.Position(last.interaction().updateTime(),
                    last.interaction().interactionId()));
        }
        boolean artifacts = params.path("includeArtifacts").asBoolean(false);
        List<ObjectNode> listed = rows.stream()
                .map(row -> reader.task(reader.snapshot(row.interaction(), row.contextId()), history.get(), artifacts))
                .toList();
        return new Answer.Result(listing(listed, next, pageSize, page.total()));
    }

    private static ObjectNode listing(List<ObjectNode> listed, String next, int pageSize, long total) {
        ObjectNode result = Json.object();
        ArrayNode array = result.putArray("tasks");
        listed.forEach(array::add);
        return result.put("nextPageToken", next).put("pageSize", pageSize).put("totalSize", total);
    }

    static Optional<String> taskId(ObjectNode params) {
        JsonNode id = params.path("id");
        return id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
    }

    /** Empty when the value is not a count; an empty OptionalInt when absent. */
    private static Optional<OptionalInt> historyLength(ObjectNode params) {
        JsonNode value = params.path("historyLength");
        if (value.isMissingNode() || value.isNull()) {
            return Optional.of(OptionalInt.empty());
        }
        return value.canConvertToInt() && value.asInt() >= 0 ? Optional.of(OptionalInt.of(value.asInt()))
                : Optional.empty();
    }
}
