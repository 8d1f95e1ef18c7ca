package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.Outcome;
import io.agentserver.service.agent.RunRequest;
import io.agentserver.service.agent.recording.RecordingAccess;
import io.agentserver.service.agent.recording.RecordingAgent;
import io.agentserver.service.agent.recording.Recordings;
import io.agentserver.service.hub.UpgradeRequest;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.User;

import java.util.Optional;

/**
 * {@code /ws/recorder/{id}}: plays the recording named by {@code recorder_dir} as the new interaction
 * {@code id}, streamed like a live run. Refusals use status {@code failed}, as XAgent's recorder does.
 */
final class RecorderSocket extends XAgentSocket {

    private final Recordings recordings;
    private String recording = "";

    RecorderSocket(XAgentDependencies deps, UpgradeRequest request, Recordings recordings) {
        super(deps, request);
        this.recordings = recordings;
    }

    @Override
    protected String refusalStatus() {
        return "failed";
    }

    @Override
    protected boolean connect(User user) {
        recording = param("recorder_dir");
        Optional<JsonNode> loaded = recordings.load(recording);
        if (loaded.isEmpty() || !new RecordingAccess(deps.stores().interactions()).readableBy(loaded.get(), user.userId())) {
            return refuse("recording not found: " + recording);
        }
        Optional<Interaction> existing = deps.stores().interactions().find(interactionId);
        if (existing.isPresent() && !existing.get().userId().equals(user.userId())) {
            return refuse(BaseSocket.NOT_OWNER);
        }
        if (existing.isEmpty()) {
            if (!io.agentserver.service.agent.NodeIds.valid(interactionId)) {
                return refuse(BaseSocket.INIT_FAILED);
            }
            var now = deps.clock().instant();
            deps.stores().interactions().insert(new Interaction(interactionId, user.userId(), now, now,
                    loaded.get().path("description").asText("XAgent"), RecordingAgent.NAME, "auto",
                    "[]", recording, InteractionStatus.WAITING, "waiting", "0", false, "recorder", false));
        }
        sendConnected(deps.stores().interactions().find(interactionId).orElseThrow());
        watch(deps.stores().steps().nextSeq(interactionId));
        return true;
    }

    @Override
    protected void onFrame(String type, JsonNode frame) {
        switch (type) {
            case "recorder" -> start();
            case "disconnect" -> {
                leaving();
                stopIfActive();
            }
            default -> sendError("unknown message type: " + type);
        }
    }

    private void start() {
        Interaction interaction = deps.stores().interactions().find(interactionId).orElseThrow();
        startStream(deps.stores().steps().nextSeq(interactionId), XAgentStepView.UNPACED, true);
        Outcome outcome = deps.runs().start(new RunRequest(interaction, RecordingAgent.NAME, "auto",
                Json.object().put(RecordingAgent.RECORDING_ARG, recording), Json.array(), false, true));
        if (outcome instanceof Outcome.Refused(String message)) {
            sendError(message);
        }
    }

    private void stopIfActive() {
        if (deps.stores().interactions().find(interactionId).map(i -> i.status().isActive()).orElse(false)) {
            deps.runs().stopUnlessWatched(interactionId);
        }
    }

    /** As on {@code /ws/base}: a vanished client's run has the grace; one that left on purpose stops it. */
    @Override
    protected void onDisconnect(boolean abrupt) {
        if (!logComplete() && !abrupt) {
            stopIfActive();
        }
    }
}
