package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.Outcome;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.agent.RunRequest;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.A2aTaskStore;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * {@code SendMessage} and {@code SendStreamingMessage}: a message without a task starts a run of the endpoint's
 * agent (a new interaction, shown in XAgent's history and on {@code /ws} too); a message on a task that waits for
 * a human answers the step it waits on. Then the answer waits for the task to settle (blocking), returns it at once
 * ({@code returnImmediately}), or streams its events from the new steps on.
 */
final class TaskSends {

    private static final System.Logger LOG = System.getLogger(TaskSends.class.getName());
    private static final int MAX_DESCRIPTION = 256;
    private static final EnumSet<InteractionStatus> NOT_STARTED =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);

    private final Stores stores;
    private final A2aTaskStore tasks;
    private final RunCoordinator runs;
    private final TaskReader reader;
    private final TaskWaits waits;
    private final A2aServerSettings settings;
    private final Clock clock;

    TaskSends(Stores stores, A2aTaskStore tasks, RunCoordinator runs, TaskReader reader, TaskWaits waits,
              A2aServerSettings settings, Clock clock) {
        this.stores = stores;
        this.tasks = tasks;
        this.runs = runs;
        this.reader = reader;
        this.waits = waits;
        this.settings = settings;
        this.clock = clock;
    }

    Answer send(ObjectNode params, String userId, String agent, boolean streaming, OpenHandle open) {
        SendParams send;
        switch (SendParams.parse(params)) {
            case SendParams.Invalid(RpcError error) -> {
                return Answer.failure(error);
            }
            case SendParams.Valid(SendParams valid) -> send = valid;
        }
        Started started;
        if (send.taskId().isPresent()) {
            switch (reply(send, userId)) {
                case Refusal(RpcError error) -> {
                    return Answer.failure(error);
                }
                case Started continued -> started = continued;
            }
        } else {
            if (send.text().isBlank()) {
                return Answer.failure(RpcError.invalidParams("a new task needs a text part: its goal"));
            }
            started = start(send, userId, agent);
        }
        if (streaming) {
            return new Answer.Stream(reader.snapshot(started.interaction(), started.contextId()), started.fromSeq(),
                    Optional.empty());
        }
        if (!send.returnImmediately()) {
            waits.await(started.interaction().interactionId(), started.fromSeq(), true, settings.blockingTimeout(),
                    open);
        }
        TaskReader.Snapshot snapshot = reader.snapshot(started.interaction(), started.contextId());
        ObjectNode result = Json.object();
        result.set("task", reader.task(snapshot, send.historyLength(), true));
        return new Answer.Result(result);
    }

    /** What a message on a task did: continued it, or was refused. */
    private sealed interface Continued permits Started, Refusal {
    }

    /** A task a message started or continued, and the first step that follows the message. */
    private record Started(Interaction interaction, String contextId, long fromSeq) implements Continued {
    }

    private record Refusal(RpcError error) implements Continued {
    }

    private Started start(SendParams send, String userId, String agent) {
        Instant now = clock.instant();
        String id = NodeIds.next();
        String goal = send.text();
        String contextId = send.contextId().orElse(id);
        ObjectNode args = send.args();
        args.put("goal", goal);
        Interaction created = new Interaction(id, userId, now, now,
                goal.length() > MAX_DESCRIPTION ? goal.substring(0, MAX_DESCRIPTION) : goal, agent, send.mode(), "[]",
                "", InteractionStatus.READY, "ready...", "-1", false, "a2a", false);
        stores.interactions().insert(created);
        tasks.create(id, contextId);
        tasks.addMessage(id, Json.write(send.stored(id, contextId)));
        stores.parameters().add(id, Json.write(args));
        Outcome outcome = runs.start(new RunRequest(created, agent, send.mode(), args, Json.array(), true, false));
        if (outcome instanceof Outcome.Refused(String message)) {
            LOG.log(Level.INFO, "a2a task refused task=" + id + " user=" + userId + ": " + message);
            stores.interactions().transition(id, NOT_STARTED, InteractionStatus.FAILED, message);
        } else {
            LOG.log(Level.INFO, "a2a task started task=" + id + " user=" + userId + " agent=" + agent
                    + " mode=" + send.mode());
        }
        return new Started(stores.interactions().find(id).orElse(created), contextId, 0);
    }

    private Continued reply(SendParams send, String userId) {
        String taskId = send.taskId().orElseThrow();
        Optional<TaskReader.Snapshot> found = reader.owned(taskId, userId);
        if (found.isEmpty()) {
            return new Refusal(RpcError.taskNotFound(taskId));
        }
        TaskReader.Snapshot snapshot = found.get();
        A2aState state = snapshot.state();
        if (state.terminal()) {
            return new Refusal(RpcError.unsupported("task " + taskId + " is " + state.wire()
                    + ": it takes no more messages"));
        }
        Optional<Step> waiting = snapshot.waiting();
        if (waiting.isEmpty()) {
            return new Refusal(RpcError.unsupported("task " + taskId + " is " + state.wire()
                    + ", not waiting for input: send a message when it is TASK_STATE_INPUT_REQUIRED"));
        }
        ObjectNode args = send.replyArgs();
        Outcome outcome = runs.reply(taskId, waiting.get().nodeId(), args, Json.array());
        if (outcome instanceof Outcome.Refused(String message)) {
            return new Refusal(RpcError.unsupported(message));
        }
        String contextId = snapshot.ref().contextId();
        tasks.addMessage(taskId, Json.write(send.stored(taskId, contextId)));
        stores.parameters().add(taskId, Json.write(args));
        LOG.log(Level.INFO, "a2a reply task=" + taskId + " user=" + userId + " step=" + waiting.get().seq());
        return new Started(snapshot.interaction(), contextId, waiting.get().seq() + 1);
    }
}
