package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.InMemoryExecutionHistory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryExecutionHistoryTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void idsGrowAndEntriesAfterTheCursorComeInOrder() {
        ExecutionHistory history = new InMemoryExecutionHistory(10, Duration.ofMinutes(1), 100, clock);
        String a = history.append("k", "a");
        String b = history.append("k", "b");
        String c = history.append("k", "c");
        assertThat(ExecutionHistory.compareIds(a, b)).isNegative();
        assertThat(ExecutionHistory.compareIds(b, c)).isNegative();
        ExecutionHistory.Slice slice = history.after("k", a, 1000);
        assertThat(slice.complete()).isTrue();
        assertThat(slice.entries()).extracting(ExecutionHistory.Entry::frame).containsExactly("b", "c");
        assertThat(history.after("k", "0", 1000).entries()).hasSize(3);
        assertThat(history.append("k", "c")).as("the same frame again keeps its id").isEqualTo(c);
    }

    @Test
    void aCursorBeforeTheTrimmedWindowIsNotComplete() {
        ExecutionHistory history = new InMemoryExecutionHistory(3, Duration.ofMinutes(1), 100, clock);
        String first = history.append("k", "e0");
        String second = history.append("k", "e1");
        for (int i = 2; i < 6; i++) {
            history.append("k", "e" + i);
        }
        ExecutionHistory.Slice lost = history.after("k", first, 1000);
        assertThat(lost.complete()).isFalse();
        assertThat(lost.entries()).extracting(ExecutionHistory.Entry::frame).containsExactly("e3", "e4", "e5");
        assertThat(history.after("k", "0", 1000).complete()).isFalse();
        assertThat(history.after("k", second, 1000).complete()).isFalse();
        String kept = history.after("k", "0", 1000).entries().getFirst().id();
        assertThat(history.after("k", kept, 1000).complete()).isTrue();
    }

    @Test
    void historyExpiresAfterItsTtlAndOnlyACursorOfZeroCountsAsComplete() {
        ExecutionHistory history = new InMemoryExecutionHistory(10, Duration.ofMinutes(1), 100, clock);
        String id = history.append("k", "a");
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(history.after("k", id, 1000).complete()).isFalse();
        assertThat(history.after("k", id, 1000).entries()).isEmpty();
        assertThat(history.after("never", "0", 1000).complete()).isTrue();
    }

    @Test
    void theLeastRecentlyWrittenExecutionsGoFirst() {
        ExecutionHistory history = new InMemoryExecutionHistory(10, Duration.ofMinutes(1), 2, clock);
        history.append("a", "1");
        history.append("b", "1");
        history.append("c", "1");
        assertThat(history.after("a", "0", 1000).entries()).isEmpty();
        assertThat(history.after("c", "0", 1000).entries()).hasSize(1);
    }
}
