package io.agentserver.service.autogpt.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The history of a single replica without Redis: the last {@code maxLength} events of each execution, kept
 * until {@code ttl} after its last event, for at most {@code maxExecutions} executions (the least recently
 * written go first). One replica records each message once, so only a repeat of the last frame is folded.
 */
public final class InMemoryExecutionHistory implements ExecutionHistory {

    private final int maxLength;
    private final Duration ttl;
    private final int maxExecutions;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);
    private long lastMillis;
    private long sequence;

    public InMemoryExecutionHistory(int maxLength, Duration ttl, int maxExecutions, Clock clock) {
        this.maxLength = maxLength;
        this.ttl = ttl;
        this.maxExecutions = maxExecutions;
        this.clock = clock;
    }

    private static final class Stream {
        private final ArrayDeque<Entry> entries = new ArrayDeque<>();
        private boolean trimmed;
        private Instant expiresAt;
    }

    @Override
    public String append(String executionKey, String frame) {
        lock.lock();
        try {
            Instant now = clock.instant();
            Stream stream = live(executionKey, now);
            if (stream == null) {
                stream = new Stream();
                streams.put(executionKey, stream);
                evictOldest();
            }
            if (!stream.entries.isEmpty() && stream.entries.getLast().frame().equals(frame)) {
                return stream.entries.getLast().id();
            }
            Entry entry = new Entry(nextId(now), frame);
            stream.entries.addLast(entry);
            while (stream.entries.size() > maxLength) {
                stream.entries.removeFirst();
                stream.trimmed = true;
            }
            stream.expiresAt = now.plus(ttl);
            return entry.id();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Slice after(String executionKey, String sinceId, int limit) {
        lock.lock();
        try {
            Stream stream = live(executionKey, clock.instant());
            if (stream == null || stream.entries.isEmpty()) {
                return new Slice(List.of(), ExecutionHistory.nothingRecordedIsComplete(sinceId));
            }
            List<Entry> after = new ArrayList<>();
            for (Entry entry : stream.entries) {
                if (after.size() >= limit) {
                    break;
                }
                if (ExecutionHistory.compareIds(entry.id(), sinceId) > 0) {
                    after.add(entry);
                }
            }
            boolean complete = !stream.trimmed
                    || ExecutionHistory.compareIds(stream.entries.getFirst().id(), sinceId) <= 0;
            return new Slice(after, complete);
        } finally {
            lock.unlock();
        }
    }

    private Stream live(String key, Instant now) {
        Stream stream = streams.get(key);
        if (stream != null && !now.isBefore(stream.expiresAt == null ? now.plus(ttl) : stream.expiresAt)) {
            streams.remove(key);
            return null;
        }
        return stream;
    }

    private void evictOldest() {
        Iterator<Map.Entry<String, Stream>> it = streams.entrySet().iterator();
        while (streams.size() > maxExecutions && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private String nextId(Instant now) {
        long millis = Math.max(now.toEpochMilli(), lastMillis);
        sequence = millis == lastMillis ? sequence + 1 : 0;
        lastMillis = millis;
        return millis + "-" + sequence;
    }

    @Override
    public void close() {
    }
}
