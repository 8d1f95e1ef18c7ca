package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.hub.UpgradeRequest;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.User;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code /ws/share/{id}}: any signed-in user watches an interaction its owner shared, step by step with a
 * pause between steps, as XAgent's community page does.
 */
final class ShareSocket extends XAgentSocket {

    static final String NOT_SHARED = "this interaction is not shared!";

    ShareSocket(XAgentDependencies deps, UpgradeRequest request) {
        super(deps, request);
    }

    @Override
    protected boolean connect(User user) {
        Optional<Interaction> interaction = deps.stores().interactions().find(interactionId)
                .filter(i -> !i.deleted() && i.shared());
        if (interaction.isEmpty()) {
            return refuse(NOT_SHARED);
        }
        sendConnected(interaction.get());
        return true;
    }

    @Override
    protected void onFrame(String type, JsonNode frame) {
        switch (type) {
            case "shared" -> startStream(0, this::pace, false);
            case "disconnect" -> { }
            default -> sendError("unknown message type: " + type);
        }
    }

    private Duration pace() {
        long min = deps.settings().sharePaceMin().toMillis();
        long max = Math.max(min, deps.settings().sharePaceMax().toMillis());
        return Duration.ofMillis(min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
    }

    @Override
    protected void onDisconnect(boolean abrupt) {
    }
}
