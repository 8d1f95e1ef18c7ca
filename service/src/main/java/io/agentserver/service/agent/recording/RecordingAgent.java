package io.agentserver.service.agent.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.StepDraft;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Plays a recording back as a new run: the recorded steps in order, with fresh node ids, the workspace files
 * appearing when they first appeared, and the recorded human replies taken as given.
 */
public final class RecordingAgent implements Agent {

    public static final String NAME = "recorder";
    public static final String RECORDING_ARG = "recording";

    private final Recordings recordings;
    private final RecordingAccess access;
    private final Duration delay;

    public RecordingAgent(Recordings recordings, RecordingAccess access, Duration delay) {
        this.recordings = recordings;
        this.access = access;
        this.delay = delay;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        String name = ctx.args().path(RECORDING_ARG).asText("");
        // Whoever may not play it is told it does not exist, as on /ws/recorder.
        JsonNode recording = recordings.load(name).filter(loaded -> access.readableBy(loaded, ctx.userId()))
                .orElseThrow(() -> new RunFailure("recording not found: " + name));
        Map<String, byte[]> files = new HashMap<>();
        for (JsonNode file : recording.path("workspace")) {
            files.put(file.path("name").asText(), Base64.getDecoder().decode(file.path("content_base64").asText()));
        }
        Set<String> written = new HashSet<>();
        for (JsonNode step : recording.path("steps")) {
            ctx.pause(delay);
            for (JsonNode listed : step.path("workspace_file_list")) {
                String file = listed.path("name").asText();
                if (files.containsKey(file) && written.add(file)) {
                    ctx.writeFile(file, files.get(file));
                }
            }
            String nodeId = NodeIds.next();
            JsonNode data = step.path("data").deepCopy();
            if (data instanceof ObjectNode object && object.has("node_id")) {
                object.put("node_id", nodeId);
            }
            String current = step.path("current").asText("");
            if (current.equals(step.path("node_id").asText())) {
                current = nodeId;
            }
            ctx.emit(new StepDraft(step.path("status").asText(), current, data, nodeId, false));
        }
    }
}
