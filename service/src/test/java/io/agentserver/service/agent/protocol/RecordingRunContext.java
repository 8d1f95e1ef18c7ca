package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A run context that keeps what the agent emitted and wrote, and answers waits with scripted replies. */
final class RecordingRunContext implements RunContext {

    final List<StepDraft> emitted = new ArrayList<>();
    final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Deque<JsonNode> replies = new ArrayDeque<>();
    private final JsonNode args;
    private final String mode;

    RecordingRunContext(String goal, String mode, JsonNode... replies) {
        this.args = Json.object().put("goal", goal);
        this.mode = mode;
        this.replies.addAll(List.of(replies));
    }

    List<String> statuses() {
        return emitted.stream().map(StepDraft::status).toList();
    }

    @Override
    public String interactionId() {
        return "0123456789abcdef0123456789abcdef";
    }

    @Override
    public String userId() {
        return "u";
    }

    @Override
    public JsonNode args() {
        return args;
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public JsonNode files() {
        return Json.array();
    }

    @Override
    public Step emit(StepDraft draft) {
        emitted.add(draft);
        return new Step(interactionId(), emitted.size(), draft.nodeId() == null ? "n" + emitted.size() : draft.nodeId(),
                draft.status(), draft.current(), Json.write(draft.data()), "[]", draft.awaitsReply(), null, Instant.now());
    }

    @Override
    public JsonNode awaitReply(Step step, Duration timeout) {
        if (!step.askForHumanHelp()) {
            throw new IllegalStateException("not awaiting a reply");
        }
        return replies.removeFirst();
    }

    @Override
    public void writeFile(String name, byte[] content) {
        files.put(name, content);
    }

    @Override
    public Optional<byte[]> upload(String uuid) {
        return Optional.empty();
    }

    @Override
    public boolean stopped() {
        return false;
    }

    @Override
    public void pause(Duration duration) {
    }
}
