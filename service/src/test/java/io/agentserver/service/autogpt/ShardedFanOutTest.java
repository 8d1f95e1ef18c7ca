package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.autogpt.history.InMemoryExecutionHistory;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sharded scheme's fan-out: one exact channel per key, shared and released; the recorder lingers. */
class ShardedFanOutTest {

    private static final RedisChannels CHANNELS = RedisChannels.defaults();

    private final InMemoryEventBroker broker = new InMemoryEventBroker();
    private final SubscriptionCodec codec = new SubscriptionCodec();
    private final BusDecoder decoder = new BusDecoder(new RedisIngest(CHANNELS, codec));
    /** A socket; identity equality (the fan-out keeps sockets in sets while their frames change). */
    static final class Sink implements ExecutionSubscriber {
        private final String connectionId;
        private final String userId;
        private final List<String> frames = new CopyOnWriteArrayList<>();

        Sink(String connectionId, String userId) {
            this.connectionId = connectionId;
            this.userId = userId;
        }

        @Override
        public String connectionId() {
            return connectionId;
        }

        @Override
        public String userId() {
            return userId;
        }

        List<String> frames() {
            return frames;
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

    private ExecutionFanOut fanOut(ExecutionWatchers watchers) {
        return new ExecutionFanOut(broker, CHANNELS, decoder, new ServiceMetrics(new ConnectionRegistry(), () -> 0),
                AutoGptBus.SHARDED, watchers);
    }

    @Test
    void eachKeyHoldsItsOwnExactChannelSharedByItsSocketsAndReleasedAfterTheLast() {
        ExecutionFanOut fanOut = fanOut(ExecutionWatchers.NONE);
        Sink first = new Sink("c1", "u");
        Sink second = new Sink("c2", "u");
        fanOut.connect(first);
        fanOut.connect(second);
        String execKey = fanOut.subscribeExecution(first, "e1", Optional.of("g"));
        fanOut.subscribeExecution(second, "e1", Optional.of("g"));
        String graphKey = fanOut.subscribeGraph(second, "g");

        assertThat(broker.stats().patterns()).as("no pattern in the sharded scheme").isZero();
        assertThat(broker.stats().shardChannels()).as("notification_event/u, …/{u/g}/exec/e1, …/{u/g}/all")
                .isEqualTo(3);

        broker.publishSharded(CHANNELS.shardedExecutionChannel("u", "g", "e1"),
                envelope(graphExecutionEvent("u", "g", "e1", "RUNNING")));
        broker.publishSharded(CHANNELS.shardedGraphChannel("u", "g"),
                envelope(graphExecutionEvent("u", "g", "e1", "RUNNING")));
        assertThat(first.frames()).singleElement().asString().contains("\"channel\":\"u|graph_exec#e1\"");
        assertThat(second.frames()).hasSize(2);

        fanOut.unsubscribe(first, execKey);
        assertThat(broker.stats().shardChannels()).isEqualTo(3);
        fanOut.unsubscribe(second, execKey);
        fanOut.unsubscribe(second, graphKey);
        fanOut.disconnect(second);
        fanOut.disconnect(first);
        assertThat(broker.stats().shardChannels()).isZero();
    }

    @Test
    void aClassicPublishReachesNoShardedSubscriber() {
        ExecutionFanOut fanOut = fanOut(ExecutionWatchers.NONE);
        Sink sink = new Sink("c1", "u");
        fanOut.connect(sink);
        fanOut.subscribeExecution(sink, "e1", Optional.of("g"));

        broker.broadcast(ExecutorEvents.executionChannel("u", "g", "e1"),
                envelope(graphExecutionEvent("u", "g", "e1", "RUNNING")));

        assertThat(sink.frames()).isEmpty();
    }

    @Test
    void theShardedSchemeRefusesAnExecutionWithoutItsGraph() {
        ExecutionFanOut fanOut = fanOut(ExecutionWatchers.NONE);
        assertThatThrownBy(() -> fanOut.subscribeExecution(new Sink("c1", "u"), "e1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRecorderKeepsRecordingAWatchedExecutionForItsLingerAfterTheLastSocketLeft() throws Exception {
        InMemoryExecutionHistory history = new InMemoryExecutionHistory(100, Duration.ofHours(1), 100,
                Clock.systemUTC());
        try (HistoryRecorder recorder = new HistoryRecorder(broker, CHANNELS, decoder, history, AutoGptBus.SHARDED,
                Duration.ofMillis(300)).start()) {
            ExecutionFanOut fanOut = fanOut(recorder);
            Sink sink = new Sink("c1", "u");
            String key = fanOut.subscribeExecution(sink, "e1", Optional.of("g"));
            String channel = CHANNELS.shardedExecutionChannel("u", "g", "e1");
            assertThat(broker.stats().shardChannels()).isEqualTo(1);
            assertThat(recorder.recordedChannels()).isEqualTo(1);

            fanOut.unsubscribe(sink, key);
            broker.publishSharded(channel, envelope(nodeExecutionEvent("u", "g", "e1", "n1", "x")));
            await(() -> history.after(key, "0", 10).entries().size() == 1);
            assertThat(broker.stats().shardChannels()).as("still held by the recorder").isEqualTo(1);

            await(() -> broker.stats().shardChannels() == 0);
            assertThat(recorder.recordedChannels()).isZero();
            broker.publishSharded(channel, envelope(nodeExecutionEvent("u", "g", "e1", "n2", "x")));
            assertThat(history.after(key, "0", 10).entries()).hasSize(1);
            assertThat(recorder.after(key, "0", 10).complete())
                    .as("sharded: what nobody watched was not recorded, so a recovery from the start is not complete")
                    .isFalse();
        }
    }

    @Test
    void aSocketThatComesBackWithinTheLingerKeepsTheRecordingWithoutASecondSubscription() {
        InMemoryExecutionHistory history = new InMemoryExecutionHistory(100, Duration.ofHours(1), 100,
                Clock.systemUTC());
        try (HistoryRecorder recorder = new HistoryRecorder(broker, CHANNELS, decoder, history, AutoGptBus.SHARDED,
                Duration.ofMinutes(5)).start()) {
            ExecutionFanOut fanOut = fanOut(recorder);
            Sink sink = new Sink("c1", "u");
            String key = fanOut.subscribeExecution(sink, "e1", Optional.of("g"));
            fanOut.unsubscribe(sink, key);
            fanOut.subscribeExecution(sink, "e1", Optional.of("g"));

            assertThat(recorder.recordedChannels()).isEqualTo(1);
            assertThat(broker.stats().shardChannels()).isEqualTo(1);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
