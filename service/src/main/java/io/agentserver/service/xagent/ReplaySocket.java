package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.hub.UpgradeRequest;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.User;

import java.util.Optional;

/**
 * {@code /ws/replay/{id}}: the owner receives every stored step, as fast as it reads them (page by page, never the
 * whole log at once), and live ones until the run ends; then the socket closes.
 */
final class ReplaySocket extends XAgentSocket {

    ReplaySocket(XAgentDependencies deps, UpgradeRequest request) {
        super(deps, request);
    }

    @Override
    protected boolean connect(User user) {
        Optional<Interaction> interaction = deps.stores().interactions().find(interactionId).filter(i -> !i.deleted());
        if (interaction.isEmpty()) {
            return refuse(BaseSocket.INIT_FAILED);
        }
        if (!interaction.get().userId().equals(user.userId())) {
            return refuse(BaseSocket.NOT_OWNER);
        }
        sendConnected(interaction.get());
        return true;
    }

    @Override
    protected void onFrame(String type, JsonNode frame) {
        switch (type) {
            case "replay" -> startStream(0, XAgentStepView.UNPACED, false);
            case "disconnect" -> { }
            default -> sendError("unknown message type: " + type);
        }
    }

    @Override
    protected void onDisconnect(boolean abrupt) {
    }
}
