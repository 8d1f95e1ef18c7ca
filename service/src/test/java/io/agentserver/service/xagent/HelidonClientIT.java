package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.helidon.webclient.websocket.WsClient;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The same run through Helidon's own WebSocket client, a second, independent client implementation. */
class HelidonClientIT {

    @Test
    void helidonsClientSeesTheWholeRunAndTheServersClose() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of())) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account guest = session.guest();
            String id = session.newInteraction(guest);
            List<JsonNode> frames = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WsClient client = WsClient.builder().build();
            client.connect(server.ws("/ws/base/" + id + "?user_id=guest&token=xagent"), new WsListener() {
                @Override
                public void onOpen(WsSession ws) {
                    ws.send(Json.write(XAgentSession.startFrame("via helidon", "auto", XAgentSession.demo(1, 1, 1))), true);
                }

                @Override
                public void onMessage(WsSession ws, String text, boolean last) {
                    frames.add(Json.read(text));
                }

                @Override
                public void onClose(WsSession ws, int status, String reason) {
                    closed.complete(status);
                }
            });
            assertThat(closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(frames.get(0).path("status").asText()).isEqualTo("connect");
            List<JsonNode> steps = frames.subList(1, frames.size());
            steps.forEach(XAgentSession::assertStepFrame);
            assertThat(XAgentSession.statuses(steps)).containsExactly("running", "start", "inner",
                    "subtask_submit", "refinement", "finished");
        }
    }
}
