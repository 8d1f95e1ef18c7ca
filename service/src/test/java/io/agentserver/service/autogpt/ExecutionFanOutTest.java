package io.agentserver.service.autogpt;

import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

class ExecutionFanOutTest {

    private final InMemoryEventBroker broker = new InMemoryEventBroker();
    private final ExecutionFanOut fanOut = new ExecutionFanOut(broker, RedisChannels.defaults(), new SubscriptionCodec(),
            new ServiceMetrics(new ConnectionRegistry(), () -> 0));

    record Sink(String connectionId, String userId, List<String> frames) implements ExecutionSubscriber {
        Sink(String connectionId, String userId) {
            this(connectionId, userId, new CopyOnWriteArrayList<>());
        }

        @Override
        public void deliver(IngestedEvent event, EncodedFrame frame) {
            frames.add(frame.text());
        }
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void oneBusPatternServesEveryKeyOfEveryUserAndIsReleasedAfterTheLastKey() {
        Sink first = new Sink("c1", "u");
        Sink second = new Sink("c2", "v");
        fanOut.connect(first);
        fanOut.connect(second);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add(fanOut.subscribeExecution(first, "e" + i));
            keys.add(fanOut.subscribeExecution(second, "e" + i));
        }
        String graphKey = fanOut.subscribeGraph(second, "g");
        assertThat(broker.stats().patterns()).as("execution bus and notification bus, one pattern each").isEqualTo(2);
        assertThat(broker.stats().channels()).isZero();
        assertThat(fanOut.activeKeys()).isEqualTo(101);

        keys.stream().filter(k -> k.startsWith("u|")).forEach(k -> fanOut.unsubscribe(first, k));
        fanOut.disconnect(first);
        assertThat(broker.stats().patterns()).isEqualTo(2);
        fanOut.unsubscribe(second, graphKey);
        keys.stream().filter(k -> k.startsWith("v|")).forEach(k -> fanOut.unsubscribe(second, k));
        fanOut.disconnect(second);
        assertThat(broker.stats().patterns()).isZero();
        assertThat(fanOut.activeKeys()).isZero();
    }

    @Test
    void eachSocketSeesExactlyItsExecutionsEventsWhenManyExecutionsOfManyUsersFlow() {
        List<Sink> sinks = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            Sink sink = new Sink("c" + u, "user-" + u);
            fanOut.connect(sink);
            fanOut.subscribeExecution(sink, "e" + u);
            sinks.add(sink);
        }
        Sink byGraph = new Sink("g", "user-3");
        fanOut.subscribeGraph(byGraph, "graph-3");
        for (int round = 0; round < 5; round++) {
            for (int u = 0; u < 40; u++) { // half of the executions have nobody watching here
                for (int e = 0; e < 20; e++) {
                    String user = "user-" + u;
                    broker.publish(executionChannel(user, "graph-" + u, "e" + e),
                            envelope(nodeExecutionEvent(user, "graph-" + u, "e" + e, "n" + round, "r" + round)));
                }
            }
        }
        for (int u = 0; u < 20; u++) {
            String user = "user-" + u;
            String exec = "e" + u;
            assertThat(sinks.get(u).frames()).as(user).hasSize(5).allSatisfy(frame -> assertThat(frame)
                    .contains("\"channel\":\"" + user + "|graph_exec#" + exec + "\"")
                    .contains("\"user_id\":\"" + user + "\"").contains("\"graph_exec_id\":\"" + exec + "\""));
            assertThat(sinks.get(u).frames().stream().map(f -> f.replaceAll(".*\"node_exec_id\":\"(n\\d)\".*", "$1")))
                    .as("in publish order").containsExactly("n0", "n1", "n2", "n3", "n4");
        }
        assertThat(byGraph.frames()).as("every execution of graph-3, in order").hasSize(100)
                .allSatisfy(frame -> assertThat(frame).contains("\"channel\":\"user-3|graph#graph-3|executions\""));
    }

    @Test
    void afterUnsubscribeAKeyGetsNothingWhileOtherKeysStillDo() {
        Sink sink = new Sink("c1", "u");
        String gone = fanOut.subscribeExecution(sink, "gone");
        fanOut.subscribeExecution(sink, "kept");
        fanOut.unsubscribe(sink, gone);
        broker.publish(executionChannel("u", "g", "gone"), envelope(graphExecutionEvent("u", "g", "gone", "RUNNING")));
        broker.publish(executionChannel("u", "g", "kept"), envelope(graphExecutionEvent("u", "g", "kept", "RUNNING")));
        assertThat(sink.frames()).singleElement().asString().contains("\"channel\":\"u|graph_exec#kept\"");
    }

    @Test
    void idsHoldingASlashAreRoutedByTheIdsTheEventNames() {
        Sink sink = new Sink("c1", "org/alice");
        fanOut.subscribeExecution(sink, "e");
        Sink byGraph = new Sink("c2", "org/alice");
        fanOut.subscribeGraph(byGraph, "team/graph");
        broker.publish(executionChannel("org/alice", "team/graph", "e"),
                envelope(graphExecutionEvent("org/alice", "team/graph", "e", "RUNNING")));
        // a forged name: the same channel text, the ids split elsewhere
        broker.publish(executionChannel("org/alice", "team/graph", "e"),
                envelope(graphExecutionEvent("org", "alice/team", "graph/e", "RUNNING")));
        assertThat(sink.frames()).singleElement().asString().contains("\"channel\":\"org/alice|graph_exec#e\"");
        assertThat(byGraph.frames()).singleElement().asString()
                .contains("\"channel\":\"org/alice|graph#team/graph|executions\"");
    }

    @Test
    void aMessageNoLocalKeyWantsIsNotDecoded() {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        ExecutionFanOut counted = new ExecutionFanOut(broker, RedisChannels.defaults(), new SubscriptionCodec(), metrics);
        Sink sink = new Sink("c1", "u");
        counted.subscribeExecution(sink, "watched");
        for (int i = 0; i < 10; i++) {
            broker.publish(executionChannel("u", "g", "other" + i), "not even json");
        }
        broker.publish(executionChannel("u", "g", "watched"), "not even json");
        assertThat(scrape(metrics)).as("only the watched execution's message was looked at")
                .contains("agentserver_bus_messages_received_total{source=\"autogpt\"} 1.0")
                .contains("agentserver_bus_messages_dropped_total{reason=\"autogpt_unusable\"} 1.0");
    }

    @Test
    void aMessageMatchingAnExecutionAndAGraphSubscriptionReachesEachOnceWithItsChannel() {
        Sink byExec = new Sink("c1", "u");
        Sink byGraph = new Sink("c2", "u");
        fanOut.subscribeExecution(byExec, "e");
        fanOut.subscribeGraph(byGraph, "g");
        broker.publish(executionChannel("u", "g", "e"), envelope(graphExecutionEvent("u", "g", "e", "RUNNING")));
        broker.publish(executionChannel("u", "g", "e"), envelope(nodeExecutionEvent("u", "g", "e", "n", "x")));

        assertThat(byExec.frames()).hasSize(2).allSatisfy(f -> assertThat(f).contains("\"channel\":\"u|graph_exec#e\""));
        assertThat(byGraph.frames()).hasSize(2).allSatisfy(f -> assertThat(f).contains("\"channel\":\"u|graph#g|executions\""));
    }

    @Test
    void eventsOfAnotherUserAreNeverDelivered() {
        Sink bob = new Sink("c1", "bob");
        fanOut.connect(bob);
        fanOut.subscribeExecution(bob, "e");
        broker.publish(executionChannel("alice", "g", "e"), envelope(graphExecutionEvent("alice", "g", "e", "RUNNING")));
        broker.publish(executionChannel("bob", "g", "e"), envelope(graphExecutionEvent("alice", "g", "e", "RUNNING")));
        broker.publish("notification_event/bob", ExecutorEvents.notification("alice", "x"));
        assertThat(bob.frames()).isEmpty();

        // positive control: the same subscriptions deliver Bob's own events, so the emptiness above is isolation
        broker.publish(executionChannel("bob", "g", "e"), envelope(graphExecutionEvent("bob", "g", "e", "RUNNING")));
        broker.publish("notification_event/bob", ExecutorEvents.notification("bob", "x"));
        assertThat(bob.frames()).hasSize(2);
        assertThat(bob.frames().get(0)).startsWith("{\"method\":\"graph_execution_event\"")
                .contains("\"user_id\":\"bob\"").contains("\"channel\":\"bob|graph_exec#e\"");
        assertThat(bob.frames().get(1)).startsWith("{\"method\":\"notification\"");
    }

    private static String scrape(ServiceMetrics metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
