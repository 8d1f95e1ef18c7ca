package io.agentserver.service.autogpt;

import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
    void theBrokerIsSubscribedForTheFirstLocalSubscriberOfAKeyAndReleasedAfterTheLast() {
        Sink first = new Sink("c1", "u");
        Sink second = new Sink("c2", "u");
        fanOut.connect(first);
        fanOut.connect(second);
        String key = fanOut.subscribeExecution(first, "e");
        fanOut.subscribeExecution(second, "e");
        fanOut.subscribeExecution(second, "e");
        assertThat(broker.stats().patterns()).isEqualTo(1);
        assertThat(broker.stats().channels()).isEqualTo(1);

        fanOut.unsubscribe(first, key);
        assertThat(broker.stats().patterns()).isEqualTo(1);
        fanOut.disconnect(second, Set.of(key));
        assertThat(broker.stats().patterns()).isZero();
        fanOut.disconnect(first, Set.of());
        assertThat(broker.stats().channels()).isZero();
        assertThat(fanOut.activeKeys()).isZero();
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
}
