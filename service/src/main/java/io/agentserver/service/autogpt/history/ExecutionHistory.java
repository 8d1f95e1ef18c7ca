package io.agentserver.service.autogpt.history;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The recent events of each execution, in order, each with an id that only grows ({@code <ms>-<n>}, as Redis
 * Stream ids). Bounded in length and in time; what was cut off is reported, never hidden.
 */
public interface ExecutionHistory extends AutoCloseable {

    /**
     * Appends an event frame to the execution's history and returns its id. Appending the same frame of the same
     * execution again (every replica records what it receives) returns the first id instead of a new entry.
     */
    String append(String executionKey, String frame);

    /**
     * {@link #append} without waiting: completions come in the order of the calls (a Redis connection answers in
     * order), so one caller can pipeline appends and still hand out ids in order.
     */
    default CompletionStage<String> appendAsync(String executionKey, String frame) {
        try {
            return CompletableFuture.completedFuture(append(executionKey, frame));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * At most {@code limit} entries after {@code sinceId} ({@code "0"}: from the start), oldest first, and whether
     * nothing after it was cut off: readers page through a history, never load it whole.
     */
    Slice after(String executionKey, String sinceId, int limit);

    @Override
    void close();

    /** One recorded event frame. */
    record Entry(String id, String frame) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * @param entries  what follows the cursor, oldest first
     * @param complete true when every event after the cursor is in {@code entries}; false when history was
     *                 trimmed past the cursor, or is gone although the client saw events
     */
    record Slice(List<Entry> entries, boolean complete) {
        public Slice {
            entries = List.copyOf(entries);
        }
    }

    /** Compares two stream ids ({@code ms-n}, or {@code ms} meaning {@code ms-0}). */
    static int compareIds(String a, String b) {
        long[] x = parseId(a);
        long[] y = parseId(b);
        int byTime = Long.compareUnsigned(x[0], y[0]);
        return byTime != 0 ? byTime : Long.compareUnsigned(x[1], y[1]);
    }

    /**
     * Whether "no history" counts as nothing missed: yes for a client that saw nothing yet (cursor {@code 0}: the
     * execution recorded nothing within the TTL), no for one that saw events (they and what followed expired).
     */
    static boolean nothingRecordedIsComplete(String sinceId) {
        return compareIds(sinceId, "0") == 0;
    }

    /** True for a cursor a client may send: {@code ms} or {@code ms-n}, decimal. */
    static boolean validId(String id) {
        return id != null && id.matches("\\d{1,19}(-\\d{1,19})?");
    }

    private static long[] parseId(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[]{Long.parseUnsignedLong(id), 0};
        }
        return new long[]{Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
    }
}
