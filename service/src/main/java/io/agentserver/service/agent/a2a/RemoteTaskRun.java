package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.PlanFrames;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of a remote A2A agent: sends the goal, turns what the remote task does into steps (see the package
 * doc for the mapping), takes a human's answer back to the same remote task, and cancels the remote task when
 * our run is stopped or given up. Used only from the run's thread.
 */
final class RemoteTaskRun {

    private static final System.Logger LOG = System.getLogger(RemoteTaskRun.class.getName());
    /** How often a stream that broke is subscribed to again while the task goes on. */
    static final int MAX_RESUBSCRIBES = 3;
    private static final String NOT_AN_EVENT = "answered a result that is none of task, message, statusUpdate, "
            + "artifactUpdate";
    static final String LAST_EVENT_ID = "Last-Event-ID";
    /** How long cancelling the remote task may take when our run ends. */
    static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

    /** How a turn (one message sent and what followed) ended. */
    private sealed interface Turn {
        record Finished() implements Turn {
        }

        record InputRequired(String question) implements Turn {
        }

        /** {@code cancelRemote}: the remote task is still alive and should be cancelled. */
        record Failed(String reason, boolean cancelRemote) implements Turn {
        }
    }

    private final A2aAgentSettings settings;
    private final UpstreamClients clients;
    private final AgentCards cards;
    private final RunContext ctx;
    private JsonRpcClient rpc;
    private ArtifactFiles files;
    private String tool;
    private String taskId;
    private String contextId;
    private TaskState state = TaskState.SUBMITTED;
    private String lastStatus = "";
    /**
     * The last SSE event id a stream set, if any: sent as {@code Last-Event-ID} when subscribing again, which a
     * server with our resume extension (this server's own A2A view) answers with exactly the events after it.
     */
    private Optional<String> lastEventId = Optional.empty();
    /** Counts what the remote did that we showed: polling compares it to see progress. */
    private long progress;

    RemoteTaskRun(A2aAgentSettings settings, UpstreamClients clients, AgentCards cards, RunContext ctx) {
        this.settings = settings;
        this.clients = clients;
        this.cards = cards;
        this.ctx = ctx;
    }

    void drive() throws InterruptedException {
        AgentCard card = cards.get(ctx::stopped);
        URI endpoint = card.endpoint().orElseThrow(() -> new RunFailure("agent " + settings.name()
                + ": its card offers no " + AgentCard.BINDING + " interface for A2A " + JsonRpcClient.VERSION
                + (card.offered().isEmpty() ? "" : " (it offers " + String.join(", ", card.offered()) + ")")));
        rpc = new JsonRpcClient(settings, clients.endpoint(endpoint), endpoint, ctx::stopped);
        files = new ArtifactFiles(settings, clients, endpoint, ctx::stopped);
        tool = "a2a:" + card.name();
        String goal = ctx.args().path("goal").asText("");
        ctx.emit(StepDraft.of(StepStatus.START, PlanFrames.PLAN_TASK, A2aSteps.plan(settings.name(), card.name(), goal)));
        boolean ended = false;
        try {
            String text = goal;
            while (true) {
                Turn turn = card.streaming() ? streamTurn(text) : pollTurn(text);
                switch (turn) {
                    case Turn.Finished() -> {
                        ctx.emit(StepDraft.of(StepStatus.FINISHED, "", Json.array()));
                        ended = true;
                        return;
                    }
                    case Turn.Failed(String reason, boolean cancelRemote) -> {
                        ended = !cancelRemote;
                        throw new RunFailure(reason);
                    }
                    case Turn.InputRequired(String question) -> text = answer(ask(question));
                }
            }
        } finally {
            if (!ended) {
                cancelRemote();
            }
        }
    }

    /** One message by {@code SendStreamingMessage}, and its events (a broken stream is subscribed to again). */
    private Turn streamTurn(String text) throws InterruptedException {
        lastEventId = Optional.empty();
        JsonRpcClient.Streaming stream = rpc.stream("SendStreamingMessage", sendParams(text, false));
        int resubscribes = 0;
        try {
            while (true) {
                Optional<EventStream.Item> item = nextItem(stream.events());
                if (item.isEmpty()) {
                    return new Turn.Failed("agent " + settings.name() + " sent nothing for "
                            + settings.idleTimeout().toMillis() + " ms (idle-timeout); the run was ended", true);
                }
                switch (item.get()) {
                    case EventStream.Item.Data(String data, Optional<String> eventId) -> {
                        long before = progress;
                        if (eventId.isPresent()) {
                            lastEventId = eventId;
                        }
                        JsonRpcClient.Streaming current = stream;
                        Optional<Turn> turn = apply(RemoteEvent.fromStreamResponse(current.result(data))
                                .orElseThrow(() -> current.failure(NOT_AN_EVENT)));
                        if (turn.isPresent()) {
                            return turn.get();
                        }
                        if (progress != before) {
                            resubscribes = 0;
                        }
                    }
                    case EventStream.Item.End(Optional<String> problem) -> {
                        String why = problem.map(p -> " (" + p + ")").orElse("");
                        if (taskId == null) {
                            return new Turn.Failed("agent " + settings.name() + ": the stream of " + stream.method()
                                    + " ended before it named a task" + why, false);
                        }
                        if (resubscribes == MAX_RESUBSCRIBES) {
                            return new Turn.Failed("agent " + settings.name() + ": the task's stream ended "
                                    + (MAX_RESUBSCRIBES + 1) + " times before the task did" + why, true);
                        }
                        stream.close();
                        resubscribes++;
                        LOG.log(Level.INFO, "a2a stream ended early interaction=" + ctx.interactionId() + " agent="
                                + settings.name() + " task=" + taskId + " resubscribe=" + resubscribes + why);
                        Subscribed next = subscribe(why);
                        if (next.turn().isPresent()) {
                            return next.turn().get();
                        }
                        stream = next.stream();
                    }
                }
            }
        } finally {
            stream.close();
        }
    }

    /** A new stream of the task, or how the turn ended when there is none to have. */
    private record Subscribed(JsonRpcClient.Streaming stream, Optional<Turn> turn) {
    }

    private Subscribed subscribe(String why) throws InterruptedException {
        try {
            return new Subscribed(rpc.stream("SubscribeToTask", Json.object().put("id", taskId),
                    JsonRpcError.UNSUPPORTED_OPERATION, lastEventId.map(id -> Map.of(LAST_EVENT_ID, id))
                            .orElse(Map.of())), Optional.empty());
        } catch (UpstreamFailure e) {
            return new Subscribed(null, Optional.of(new Turn.Failed("agent " + settings.name()
                    + ": the task's stream ended before the task did" + why + ", and subscribing again failed: "
                    + e.getMessage(), true)));
        } catch (JsonRpcError e) {
            // the task ended while we were away: its final state and artifacts are in the task itself
            Optional<Turn> turn = apply(RemoteEvent.TaskSnapshot.from(rpc.call("GetTask", Json.object().put("id", taskId))));
            return new Subscribed(null, Optional.of(turn.orElse(new Turn.Failed("agent " + settings.name()
                    + " would not let us subscribe to the task again, which is " + state.wire(), true))));
        }
    }

    /** One message by {@code SendMessage} returning at once, then {@code GetTask} every poll interval. */
    private Turn pollTurn(String text) throws InterruptedException {
        Optional<Turn> turn = apply(RemoteEvent.fromStreamResponse(rpc.call("SendMessage", sendParams(text, true)))
                .orElseThrow(() -> rpc.failure("SendMessage", NOT_AN_EVENT)));
        long lastChange = System.nanoTime();
        while (turn.isEmpty()) {
            if (taskId == null) {
                return new Turn.Failed("agent " + settings.name() + ": SendMessage answered neither a task nor a message",
                        false);
            }
            ctx.pause(settings.pollInterval());
            long before = progress;
            turn = apply(RemoteEvent.TaskSnapshot.from(rpc.call("GetTask", Json.object().put("id", taskId))));
            if (progress != before) {
                lastChange = System.nanoTime();
            } else if (turn.isEmpty() && System.nanoTime() - lastChange > settings.idleTimeout().toNanos()) {
                return new Turn.Failed("agent " + settings.name() + "'s task changed in no way for "
                        + settings.idleTimeout().toMillis() + " ms (idle-timeout); the run was ended", true);
            }
        }
        return turn.get();
    }

    /** Shows what {@code event} brought; how the turn ended, when it did. */
    private Optional<Turn> apply(RemoteEvent event) throws InterruptedException {
        return switch (event) {
            case RemoteEvent.TaskSnapshot task -> {
                ids(task.taskId(), task.contextId());
                for (RemoteArtifact artifact : task.artifacts()) {
                    Optional<ArtifactFiles.Saved> saved = files.snapshot(ctx, artifact);
                    if (saved.isPresent()) {
                        showSaved(saved.get());
                    }
                }
                yield status(task.status());
            }
            case RemoteEvent.StatusUpdate update -> {
                ids(update.taskId(), update.contextId());
                yield status(update.status());
            }
            case RemoteEvent.ArtifactUpdate update -> {
                ids(update.taskId(), null);
                showSaved(files.update(ctx, update.artifact(), update.append()));
                yield Optional.empty();
            }
            case RemoteEvent.MessageResult result -> {
                String text = result.message().textAndData();
                inner(text.isBlank() ? "The agent answered with an empty message." : text,
                        result.message().textAndData(), A2aSteps.SUCCESS, List.of());
                yield Optional.of(new Turn.Finished());
            }
        };
    }

    private Optional<Turn> status(RemoteStatus status) {
        if (status.identity().equals(lastStatus)) {
            return Optional.empty();
        }
        lastStatus = status.identity();
        state = status.state();
        progress++;
        String text = status.message().map(RemoteMessage::textAndData).orElse("");
        return switch (status.state()) {
            case SUBMITTED, WORKING, UNKNOWN -> {
                if (!text.isBlank()) {
                    inner(status.message().map(RemoteMessage::text).filter(t -> !t.isBlank()).orElse(text), text,
                            A2aSteps.SUCCESS, List.of());
                }
                yield Optional.empty();
            }
            case INPUT_REQUIRED -> Optional.of(new Turn.InputRequired(text.isBlank()
                    ? "The agent asks for your input." : status.message().map(RemoteMessage::text)
                    .filter(t -> !t.isBlank()).orElse(text)));
            case COMPLETED -> {
                if (!text.isBlank()) {
                    inner(text, text, A2aSteps.SUCCESS, List.of());
                }
                yield Optional.of(new Turn.Finished());
            }
            case FAILED -> Optional.of(new Turn.Failed("agent " + settings.name() + " failed the task: "
                    + status.describe(), false));
            case REJECTED -> Optional.of(new Turn.Failed("agent " + settings.name() + " rejected the task: "
                    + status.describe(), false));
            case CANCELED -> Optional.of(new Turn.Failed("agent " + settings.name() + " cancelled the task"
                    + status.message().map(RemoteMessage::text).filter(t -> !t.isBlank()).map(t -> ": " + t).orElse(""),
                    false));
            case AUTH_REQUIRED -> Optional.of(new Turn.Failed("agent " + settings.name() + " asks for an authorization "
                    + "this server cannot give (" + TaskState.AUTH_REQUIRED.wire() + "): " + status.describe(), true));
        };
    }

    private void ids(String task, String context) {
        if (taskId == null && task != null && !task.isBlank()) {
            taskId = task;
        }
        if (contextId == null && context != null && !context.isBlank()) {
            contextId = context;
        }
    }

    private void showSaved(ArtifactFiles.Saved saved) {
        progress++;
        inner(saved.report(), saved.report(), saved.complete() ? A2aSteps.SUCCESS : A2aSteps.FAILED,
                List.of(saved.file()));
    }

    private void inner(String thoughts, String output, String statusCode, List<String> written) {
        String nodeId = NodeIds.next();
        ctx.emit(new StepDraft(StepStatus.INNER, A2aSteps.SUBTASK, A2aSteps.inner(tool, thoughts, output, statusCode,
                written, nodeId, new A2aSteps.Origin(nullToEmpty(taskId), nullToEmpty(contextId), state)), nodeId, false));
    }

    private JsonNode ask(String question) throws InterruptedException {
        String nodeId = NodeIds.next();
        Step ask = ctx.emit(new StepDraft(StepStatus.ASK_FOR_HUMAN_HELP, nodeId,
                Json.mapper().getNodeFactory().textNode(question), nodeId, true));
        return ctx.awaitReply(ask, null);
    }

    /** The text sent back for a human's reply: {@code args.answer}, else the reply as JSON. */
    static String answer(JsonNode reply) {
        if (reply.path("answer").isTextual()) {
            return reply.path("answer").asText();
        }
        if (reply.isTextual()) {
            return reply.asText();
        }
        return Json.write(reply);
    }

    private ObjectNode sendParams(String text, boolean returnImmediately) {
        ObjectNode params = Json.object();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", text);
        if (taskId != null) {
            message.put("taskId", taskId);
        }
        if (contextId != null) {
            message.put("contextId", contextId);
        }
        if (returnImmediately) {
            params.putObject("configuration").put("returnImmediately", true);
        }
        return params;
    }

    /** Best effort, bounded by {@link #CANCEL_TIMEOUT}: our run ends, so the remote task should too. */
    private void cancelRemote() {
        if (taskId == null || state.terminal() || rpc == null) {
            return;
        }
        long until = System.nanoTime() + CANCEL_TIMEOUT.toNanos();
        JsonRpcClient canceller = rpc.withStop(() -> System.nanoTime() > until);
        String outcome;
        try {
            JsonNode task = canceller.call("CancelTask", Json.object().put("id", taskId));
            outcome = task.path("status").path("state").asText("answered");
        } catch (UpstreamFailure e) {
            outcome = "failed: " + e.getMessage();
        } catch (RunStoppedException e) {
            outcome = "no answer within " + CANCEL_TIMEOUT.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        LOG.log(Level.INFO, "a2a remote task cancelled interaction=" + ctx.interactionId() + " agent=" + settings.name()
                + " task=" + taskId + " outcome=" + outcome);
    }

    private Optional<EventStream.Item> nextItem(EventStream events) throws InterruptedException {
        long deadline = System.nanoTime() + settings.idleTimeout().toNanos();
        while (true) {
            if (ctx.stopped()) {
                throw new RunStoppedException("stopped while agent " + settings.name() + " worked");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<EventStream.Item> item = events.next(Duration.ofNanos(Math.min(left,
                    UpstreamClient.STOP_CHECK_INTERVAL.toNanos())));
            if (item.isPresent()) {
                return item;
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
