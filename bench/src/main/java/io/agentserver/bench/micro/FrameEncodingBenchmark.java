package io.agentserver.bench.micro;

import io.agentserver.service.autogpt.ChannelKeys;
import io.agentserver.service.autogpt.RawJsonObject;
import io.agentserver.service.autogpt.RedisChannels;
import io.agentserver.service.autogpt.RedisIngest;
import io.agentserver.service.autogpt.SubscriptionCodec;
import io.agentserver.service.autogpt.WsMethod;
import io.agentserver.service.store.Step;
import io.agentserver.service.xagent.XAgentFrames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Encoding one server frame: an AutoGPT event frame (String, then its UTF-8 bytes, as every socket writes it),
 * the Redis message decode that precedes it, and an XAgent step frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameEncodingBenchmark {
    private final SubscriptionCodec codec = new SubscriptionCodec();
    private final RedisIngest ingest = new RedisIngest(RedisChannels.defaults(), codec);
    private RawJsonObject data;
    private String channelKey;
    private String message;
    private Step step;

    @Setup
    public void setUp() {
        data = RawJsonObject.parse(Samples.nodeEvent(1)).orElseThrow();
        channelKey = ChannelKeys.execution(Samples.USER, Samples.EXEC);
        message = Samples.envelope(Samples.nodeEvent(1));
        step = new Step("5c1e0f2a", 7, "22b1c0de", "inner", "1.2",
                "{\"thoughts\":\"Step 2 of 1.2: " + "y".repeat(100) + "\",\"using_tools\":{\"tool_name\":\"FileSystemEnv_write_to_file\","
                        + "\"tool_status_code\":\"TOOL_CALL_SUCCESS\"}}",
                "[{\"name\":\"report.md\",\"suffix\":\"md\"}]", false, null, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Benchmark
    public String autogptEventFrameText() {
        return codec.event(WsMethod.NODE_EXECUTION_EVENT, data, channelKey).text();
    }

    @Benchmark
    public byte[] autogptEventFrameUtf8() {
        return codec.event(WsMethod.NODE_EXECUTION_EVENT, data, channelKey).frame().wire();
    }

    /** What a socket's writer does per frame today when it sends the String: encode it again. */
    @Benchmark
    public byte[] autogptEventFrameReencodedPerSocket() {
        return codec.event(WsMethod.NODE_EXECUTION_EVENT, data, channelKey).text().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Optional<?> redisMessageDecode() {
        return ingest.decode(Samples.CHANNEL, message);
    }

    @Benchmark
    public byte[] xagentStepFrame() {
        return XAgentFrames.step(step).getBytes(StandardCharsets.UTF_8);
    }
}
