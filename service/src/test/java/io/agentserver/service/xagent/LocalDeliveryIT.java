package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.testing.LossyBroker;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static io.agentserver.service.xagent.XAgentSession.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket on the replica that runs the interaction hears its steps from the run itself, not over the broker:
 * promptly when the broker carries nothing, and once when both copies arrive.
 */
class LocalDeliveryIT {

    private static final List<String> TWO_BY_TWO = List.of("running", "start",
            "inner", "inner", "subtask_submit", "refinement", "subtask",
            "inner", "inner", "subtask_submit", "refinement", "finished");

    @Test
    void aSocketOnTheRunsReplicaGetsEveryStepAndItsCloseWhenTheBrokerCarriesNoNoticeAtAll() {
        AtomicReference<LossyBroker> broker = new AtomicReference<>();
        // No store re-read within the test's patience: without the local hand-off only the broker could tell.
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of("xagent.store-recheck", "PT120S"), b -> {
            broker.set(new LossyBroker(b, (channel, message) -> channel.startsWith("agentserver:interaction:")));
            return broker.get();
        })) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            List<JsonNode> frames;
            try (WsTestClient ws = session.base(user, id)) {
                assertThat(ws.next().path("status").asText()).isEqualTo("connect");
                ws.send(startFrame("no broker needed", "auto", demo(2, 2, 5)));
                frames = ws.untilClosed();
                assertThat(ws.closeCode()).isEqualTo(1000);
            }
            assertThat(statuses(frames)).containsExactlyElementsOf(TWO_BY_TWO);
            assertThat(frames).isEqualTo(replay(session, user, id));
            assertThat(broker.get().lost()).as("the broker really lost every step notice").hasSizeGreaterThan(TWO_BY_TWO.size());
        }
    }

    @Test
    void aStepHeardBothFromTheRunAndOverTheBrokerIsWrittenOnce() {
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of())) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            for (int run = 0; run < 3; run++) {
                String id = session.newInteraction(user);
                double before = DeliveryFaultsIT.metric(server, "agentserver_frames_out_total{protocol=\"xagent\"}");
                List<JsonNode> frames;
                try (WsTestClient ws = session.base(user, id)) {
                    assertThat(ws.next().path("status").asText()).isEqualTo("connect");
                    ws.send(startFrame("twice heard, once written", "auto", demo(2, 2, 0)));
                    frames = ws.untilClosed();
                    assertThat(ws.closeCode()).isEqualTo(1000);
                }
                double written = DeliveryFaultsIT.metric(server, "agentserver_frames_out_total{protocol=\"xagent\"}") - before;
                assertThat(statuses(frames)).containsExactlyElementsOf(TWO_BY_TWO);
                assertThat(frames).isEqualTo(replay(session, user, id));
                assertThat(written).as("frames written: the connect frame and each step once").isEqualTo(1 + TWO_BY_TWO.size());
            }
        }
    }

    @Test
    void stepLatencyCountsLiveDeliveriesOnlyNotTheAgeOfStepsAReplaySends() {
        String series = "agentserver_step_latency_seconds_count{protocol=\"xagent\"}";
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of())) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            try (WsTestClient ws = session.base(user, id)) {
                assertThat(ws.next().path("status").asText()).isEqualTo("connect");
                ws.send(startFrame("measure me live", "auto", demo(2, 2, 0)));
                assertThat(ws.untilClosed()).hasSize(TWO_BY_TWO.size());
            }
            double live = DeliveryFaultsIT.metric(server, series);
            assertThat(live).as("each live step observed once").isEqualTo(TWO_BY_TWO.size());
            assertThat(replay(session, user, id)).hasSize(TWO_BY_TWO.size());
            assertThat(DeliveryFaultsIT.metric(server, series)).as("after a replay of the same steps").isEqualTo(live);
        }
    }

    private static List<JsonNode> replay(XAgentSession session, XAgentSession.Account user, String id) {
        try (WsTestClient replay = session.open("replay", user, id, "")) {
            replay.next();
            replay.send("{\"type\":\"replay\"}");
            return new ArrayList<>(replay.untilClosed());
        }
    }
}
