package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code CancelTask} (stops the run and answers once it is {@code CANCELED}) and {@code SubscribeToTask} (the task,
 * then its live events; with {@code Last-Event-ID}, every event after that id first — our resume extension).
 */
final class TaskControl {

    private static final System.Logger LOG = System.getLogger(TaskControl.class.getName());
    private static final EnumSet<InteractionStatus> NOT_STARTED =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);

    private final Stores stores;
    private final RunCoordinator runs;
    private final TaskReader reader;
    private final TaskEvents events;
    private final TaskWaits waits;
    private final A2aServerSettings settings;

    TaskControl(Stores stores, RunCoordinator runs, TaskReader reader, TaskEvents events, TaskWaits waits,
                A2aServerSettings settings) {
        this.stores = stores;
        this.runs = runs;
        this.reader = reader;
        this.events = events;
        this.waits = waits;
        this.settings = settings;
    }

    Answer cancel(ObjectNode params, String userId, OpenHandle open) {
        Optional<String> id = TaskQueries.taskId(params);
        if (id.isEmpty()) {
            return Answer.failure(RpcError.invalidParams("\"id\" (the task id) is required"));
        }
        Optional<TaskReader.Snapshot> found = reader.owned(id.get(), userId);
        if (found.isEmpty()) {
            return Answer.failure(RpcError.taskNotFound(id.get()));
        }
        TaskReader.Snapshot snapshot = found.get();
        InteractionStatus status = snapshot.interaction().status();
        if (!status.isFinal()) {
            if (status.isActive()) {
                LOG.log(Level.INFO, "a2a cancel task=" + id.get() + " user=" + userId);
                runs.stop(id.get());
                waits.await(id.get(), snapshot.lastSeq() + 1, false, settings.cancelTimeout(), open);
            } else {
                stores.interactions().transition(id.get(), NOT_STARTED, InteractionStatus.CLOSED, "canceled");
            }
            snapshot = reader.snapshot(snapshot.interaction(), snapshot.ref().contextId());
        }
        A2aState state = snapshot.state();
        if (state.terminal() && state != A2aState.CANCELED) {
            return Answer.failure(RpcError.notCancelable(id.get(), state));
        }
        return new Answer.Result(reader.task(snapshot, OptionalInt.empty(), true));
    }

    /**
     * @param lastEventId the {@code Last-Event-ID} header, if sent
     */
    Answer subscribe(ObjectNode params, String userId, Optional<String> lastEventId) {
        Optional<String> id = TaskQueries.taskId(params);
        if (id.isEmpty()) {
            return Answer.failure(RpcError.invalidParams("\"id\" (the task id) is required"));
        }
        Optional<TaskReader.Snapshot> found = reader.owned(id.get(), userId);
        if (found.isEmpty()) {
            return Answer.failure(RpcError.taskNotFound(id.get()));
        }
        TaskReader.Snapshot snapshot = found.get();
        if (lastEventId.isPresent()) {
            Optional<EventId> after = EventId.parse(lastEventId.get()).filter(e -> known(snapshot, e));
            if (after.isEmpty()) {
                return Answer.failure(RpcError.invalidParams("Last-Event-ID " + lastEventId.get()
                        + " is not an event of task " + id.get()));
            }
            return new Answer.Stream(snapshot, after.get().seq(), after);
        }
        A2aState state = snapshot.state();
        if (state.terminal()) {
            return Answer.failure(RpcError.unsupported("task " + id.get() + " is " + state.wire()
                    + "; send Last-Event-ID to replay its events"));
        }
        return new Answer.Stream(snapshot, snapshot.waiting().map(s -> s.seq() + 1).orElse(snapshot.lastSeq() + 1),
                Optional.empty());
    }

    /** Whether the log has event {@code id}: step {@code id.seq} exists and gives at least {@code id.k + 1} events. */
    private boolean known(TaskReader.Snapshot snapshot, EventId id) {
        if (id.seq() > snapshot.lastSeq()) {
            return false;
        }
        Optional<Step> step = stores.steps().page(snapshot.ref().taskId(), id.seq(), 1, Long.MAX_VALUE).stream()
                .filter(s -> s.seq() == id.seq()).findFirst();
        if (step.isEmpty()) {
            return false;
        }
        int count = events.count(step.get());
        if (id.seq() == snapshot.lastSeq() && snapshot.interaction().status().isFinal()
                && events.trailer(snapshot.ref(), step, snapshot.interaction().status(), "", snapshot.interaction()
                .updateTime()).isPresent()) {
            count++;
        }
        return id.k() < count;
    }
}
