package io.agentserver.bench.micro;

import io.agentserver.service.autogpt.EncodedFrame;
import io.agentserver.service.autogpt.ExecutionFanOut;
import io.agentserver.service.autogpt.ExecutionSubscriber;
import io.agentserver.service.autogpt.IngestedEvent;
import io.agentserver.service.autogpt.RedisChannels;
import io.agentserver.service.autogpt.SubscriptionCodec;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Routing one executor message to every local subscriber of its execution: broker match, decode, frame
 * encoding and the hand-off to each subscriber ({@link ExecutionSubscriber#deliver}), through the real
 * {@link ExecutionFanOut} on the in-memory broker. Subscribers are fakes that only consume the frame, so
 * this is the fan-out's own cost; divide by {@code subscribers} for the cost per delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBenchmark {

    @Param({"1", "100", "1000"})
    public int subscribers;

    private InMemoryEventBroker broker;
    private String[] messages;
    private int next;

    private record FakeSubscriber(String connectionId, String userId, Blackhole sink) implements ExecutionSubscriber {
        @Override
        public void deliver(IngestedEvent event, EncodedFrame frame) {
            sink.consume(frame.frame().wire());
        }
    }

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        broker = new InMemoryEventBroker();
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, RedisChannels.defaults(), new SubscriptionCodec(),
                new ServiceMetrics(new ConnectionRegistry(), () -> 0));
        for (int i = 0; i < subscribers; i++) {
            FakeSubscriber subscriber = new FakeSubscriber("c" + i, Samples.USER, blackhole);
            fanOut.connect(subscriber);
            fanOut.subscribeExecution(subscriber, Samples.EXEC);
        }
        // Distinct messages: the fan-out caches the last decoded one.
        messages = new String[1024];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = Samples.envelope(Samples.nodeEvent(i));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        broker.close();
    }

    @Benchmark
    public boolean routeOneEvent() {
        return broker.publish(Samples.CHANNEL, messages[next++ & (messages.length - 1)]);
    }
}
