package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.Outcome;
import io.agentserver.service.agent.RunRequest;
import io.agentserver.service.hub.UpgradeRequest;
import io.agentserver.service.json.Json;
import io.agentserver.service.json.Utf8;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.User;

import java.util.EnumSet;
import java.util.Optional;

/**
 * {@code /ws/base/{id}}: runs interaction {@code id} live and carries the human's replies. A client that
 * vanished and comes back within the grace period continues where it left off: after the last step it named, or
 * else after the last step every viewer provably received. The run stops when its last viewer leaves on purpose,
 * or when none has watched it for the disconnect grace.
 */
final class BaseSocket extends XAgentSocket {

    static final String INIT_FAILED = "init interaction failed, please restart!";
    static final String ALREADY_RUNNING = "You have a running interaction, please wait for it to finish!";
    static final String NOT_OWNER = "this interaction belongs to another user!";
    /** The widths of the {@code agent} and {@code mode} columns. */
    static final int MAX_AGENT_CHARS = 255;
    static final int MAX_MODE_CHARS = 64;

    private static final EnumSet<InteractionStatus> CONNECTABLE =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);

    private boolean resumed;

    BaseSocket(XAgentDependencies deps, UpgradeRequest request) {
        super(deps, request);
    }

    @Override
    protected boolean connect(User user) {
        Optional<Interaction> found = deps.stores().interactions().find(interactionId)
                .filter(i -> !i.deleted());
        if (found.isEmpty()) {
            return refuse(INIT_FAILED);
        }
        Interaction interaction = found.get();
        if (!interaction.userId().equals(user.userId())) {
            return refuse(NOT_OWNER);
        }
        if (deps.settings().checkRunning() && !interaction.status().isActive()
                && deps.stores().interactions().hasActive(user.userId())) {
            return refuse(ALREADY_RUNNING);
        }
        if (CONNECTABLE.contains(interaction.status())) {
            String description = param("description");
            if (!description.isBlank()) {
                deps.stores().interactions().updateDescription(interactionId, description);
            }
            deps.stores().interactions().transition(interactionId, CONNECTABLE, InteractionStatus.CONNECTED, "connected");
            interaction = deps.stores().interactions().find(interactionId).orElseThrow();
            watch(deps.stores().steps().nextSeq(interactionId));
            sendConnected(interaction);
            return true;
        }
        resume(interaction);
        return true;
    }

    /**
     * A client back at a run that is going, or that ended while it was away: send what it has not seen. It is on
     * record as a viewer before it is told it is connected, so that a close in another tab after that never takes
     * it for gone.
     */
    private void resume(Interaction interaction) {
        resumed = true;
        long from = lastSeenNodeId().orElseGet(() -> deps.runs().viewers().resumeFor(interactionId));
        if (interaction.status().isActive()) {
            watch(from);
        }
        sendConnected(interaction);
        startStream(from, XAgentStepView.UNPACED, true);
    }

    /** A client may say which step it saw last ({@code last_node_id}); it then gets exactly the rest. */
    private Optional<Long> lastSeenNodeId() {
        String nodeId = param("last_node_id");
        if (!NodeIds.valid(nodeId)) {
            return Optional.empty();
        }
        return deps.stores().steps().findByNodeId(nodeId)
                .filter(s -> s.interactionId().equals(interactionId))
                .map(s -> s.seq() + 1);
    }

    @Override
    protected void onFrame(String type, JsonNode frame) {
        switch (type) {
            case "data" -> onData(frame);
            case "disconnect" -> {
                leaving();
                stopRun();
            }
            default -> sendError("unknown message type: " + type);
        }
    }

    private void onData(JsonNode frame) {
        JsonNode args = frame.path("args");
        JsonNode files = frame.path("file_list").isArray() ? frame.path("file_list") : Json.array();
        String nodeId = frame.path("node_id").isTextual() ? frame.path("node_id").asText() : "";
        if (!args.isObject()) {
            sendError("\"args\" must be a JSON object");
            return;
        }
        if (!nodeId.isEmpty()) {
            Outcome reply = deps.runs().reply(interactionId, nodeId, args, files);
            if (reply instanceof Outcome.Done) {
                deps.stores().parameters().add(interactionId, Json.write(args));
            }
            report(reply);
            return;
        }
        if (!args.path("goal").isTextual() || args.path("goal").asText().isBlank()) {
            sendError("\"args.goal\" is required to start a run");
            return;
        }
        Interaction interaction = deps.stores().interactions().find(interactionId).orElseThrow();
        if (resumed || interaction.status().isActive() || interaction.status().isFinal()) {
            sendError(interaction.status().isFinal()
                    ? "this interaction has ended; start a new one"
                    : "a run is already active on this interaction");
            return;
        }
        String agent = frame.path("agent").asText("");
        String mode = frame.path("mode").asText("auto");
        if (agent.length() > MAX_AGENT_CHARS || mode.length() > MAX_MODE_CHARS) {
            sendError("\"agent\" may have at most " + MAX_AGENT_CHARS + " characters and \"mode\" at most "
                    + MAX_MODE_CHARS);
            return;
        }
        String goal = args.path("goal").asText();
        long goalBytes = Utf8.length(goal);
        if (goalBytes > deps.settings().maxGoalBytes()) {
            sendError("\"args.goal\" has " + goalBytes + " bytes; at most " + deps.settings().maxGoalBytes()
                    + " are allowed");
            return;
        }
        deps.stores().parameters().add(interactionId, Json.write(args));
        deps.stores().interactions().updateConfig(interactionId, agent, mode, Json.write(files));
        startStream(deps.stores().steps().nextSeq(interactionId), XAgentStepView.UNPACED, true);
        report(deps.runs().start(new RunRequest(
                deps.stores().interactions().find(interactionId).orElseThrow(), agent, mode, args, files, true, true)));
    }

    private void report(Outcome outcome) {
        if (outcome instanceof Outcome.Refused(String message)) {
            sendError(message);
        }
    }

    /**
     * A run whose client vanished goes on: the replica that runs it stops it once nobody has watched it for the
     * disconnect grace. One whose client left on purpose stops now, unless another viewer watches it.
     */
    @Override
    protected void onDisconnect(boolean abrupt) {
        Optional<Interaction> interaction = deps.stores().interactions().find(interactionId);
        if (interaction.isEmpty() || logComplete()) {
            return;
        }
        if (interaction.get().status().isActive()) {
            if (!abrupt) {
                deps.runs().stopUnlessWatched(interactionId);
            }
        } else {
            deps.stores().interactions().transition(interactionId, CONNECTABLE, InteractionStatus.CLOSED, "closed");
        }
    }

    private void stopRun() {
        Interaction interaction = deps.stores().interactions().find(interactionId).orElseThrow();
        if (interaction.status().isActive()) {
            deps.runs().stopUnlessWatched(interactionId);
        }
    }
}
