package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.RedisExecutionHistory;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.RedisUris;
import io.agentserver.service.testing.EmbeddedRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;

/**
 * What the recovery history costs: appends per second through {@link RedisExecutionHistory} (one Lua script
 * each, as the recorder makes them, one thread), for one replica and as a second replica appending the same
 * frames (the de-duplicated path). Not part of the test run; run by hand:
 * {@code mvn -pl service verify -Dtest=HistoryRecorderBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HistoryRecorderBench {

    @Test
    void appendThroughput() {
        int events = 20_000;
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             ExecutionHistory history = new RedisExecutionHistory(
                     RedisUris.forClient(redis.uri(), BrokerSettings.redis(redis.uri()), "bench"), 1000,
                     Duration.ofHours(24))) {
            String payload = "x".repeat(1000);
            for (int warm = 0; warm < 2000; warm++) {
                history.append("warm|graph_exec#" + (warm % 100), warm + payload);
            }
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                history.append("u|graph_exec#" + (i % 1000), i + payload);
            }
            long first = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                history.append("u|graph_exec#" + (i % 1000), i + payload);
            }
            long again = System.nanoTime() - start;
            start = System.nanoTime();
            java.util.concurrent.CompletionStage<String> last = null;
            for (int i = 0; i < events; i++) {
                last = history.appendAsync("p|graph_exec#" + (i % 1000), i + payload);
            }
            last.toCompletableFuture().join();
            long pipelined = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                history.after("u|graph_exec#" + i, "0", 1000);
            }
            long reads = System.nanoTime() - start;
            System.out.printf("history: %d appends of ~1 KiB over 1,000 executions: %d ms (%.0f/s); "
                            + "the same again as a second replica: %d ms; pipelined as the recorder does: %d ms (%.0f/s); "
                            + "1,000 full reads (~20 entries): %d ms%n",
                    events, first / 1_000_000, events / (first / 1e9), again / 1_000_000, pipelined / 1_000_000,
                    events / (pipelined / 1e9), reads / 1_000_000);
        }
    }
}
