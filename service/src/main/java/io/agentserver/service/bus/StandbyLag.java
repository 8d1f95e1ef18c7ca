package io.agentserver.service.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How one standby subscription of a sharded channel differs from the active one. Every node serving a slot (its
 * master and the master's replicas) receives the slot's messages, each at its own moment; the active subscription
 * delivers them, a standby only keeps the difference:
 * <ul>
 *   <li>{@code ahead}: messages the active delivered that this standby has not received yet;</li>
 *   <li>{@code pending}: messages this standby received that the active has not delivered yet.</li>
 * </ul>
 * A message received on both sides cancels out. When the active subscription is lost (its node was demoted in a
 * failover), the standby on the promoted node takes over: it delivers {@link #promote() pending} (what reached it
 * but not the old active) and then skips what it receives of {@code ahead} (what the old active delivered already).
 * Nothing twice, nothing lost, as long as the promoted node kept its subscription, which Redis does.
 *
 * <p>No order is assumed between the two sides: right after a failover, a publisher whose slot map is stale still
 * publishes to the demoted node, which Redis accepts and forwards to the new master over the cluster bus, so
 * nodes do not see a shard's messages in one order. Equal messages are matched one for one (a multiset). A
 * difference older than {@link #MAX_AGE_NANOS} can no longer be matched (the two subscriptions began a moment apart,
 * or a node lost a message) and is forgotten, as is the oldest past {@link #CAPACITY} entries per side. Not
 * thread-safe: the channel's lock guards it.
 */
final class StandbyLag {

    static final int CAPACITY = 4096;
    /** Nodes of one shard see a message within milliseconds of each other; five seconds is generous. */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final LongSupplier clock;
    private final Side ahead = new Side();
    private final Side pending = new Side();
    private long forgotten;

    StandbyLag() {
        this(System::nanoTime);
    }

    StandbyLag(LongSupplier clock) {
        this.clock = clock;
    }

    /** The active subscription delivered {@code message}. */
    void activeDelivered(String message) {
        long now = clock.getAsLong();
        if (!pending.removeOne(message, now)) {
            ahead.add(message, now);
        }
    }

    /** This standby received {@code message}. */
    void standbyReceived(String message) {
        long now = clock.getAsLong();
        if (!ahead.removeOne(message, now)) {
            pending.add(message, now);
        }
    }

    /**
     * This standby becomes the active subscription: returns what it received and the old active never delivered, in
     * the order it received them, to be delivered now; what the old active delivered and this one has not received
     * yet stays, to be skipped by {@link #deliveredAlready}.
     */
    List<String> promote() {
        List<String> missed = pending.drain(clock.getAsLong());
        return missed;
    }

    /** After {@link #promote()}: true when {@code message} is one the old active delivered already (skip it). */
    boolean deliveredAlready(String message) {
        return ahead.removeOne(message, clock.getAsLong());
    }

    /** Forgets both differences (another subscription became active: this one starts over). */
    void reset() {
        ahead.clear();
        pending.clear();
    }

    int aheadSize() {
        return ahead.size();
    }

    int pendingSize() {
        return pending.size();
    }

    /** Entries forgotten because they grew too old or too many. */
    long forgotten() {
        return forgotten;
    }

    /** One side's unmatched messages: arrival order for promotion, an index by content for matching. */
    private final class Side {
        private final ArrayDeque<Entry> order = new ArrayDeque<>();
        private final Map<String, ArrayDeque<Entry>> byMessage = new HashMap<>();
        private int live;

        void add(String message, long now) {
            expire(now);
            if (live == CAPACITY) {
                evictOldest();
            }
            Entry entry = new Entry(message, now);
            order.addLast(entry);
            byMessage.computeIfAbsent(message, m -> new ArrayDeque<>(1)).addLast(entry);
            live++;
        }

        /** Removes the oldest live entry equal to {@code message}; false if there is none. */
        boolean removeOne(String message, long now) {
            expire(now);
            if (live == 0) {
                return false;
            }
            ArrayDeque<Entry> same = byMessage.get(message);
            if (same == null) {
                return false;
            }
            Entry entry = same.pollFirst();
            if (same.isEmpty()) {
                byMessage.remove(message);
            }
            entry.live = false;
            live--;
            if (order.size() > 2 * live + 64) {
                // matched entries wait behind an old unmatched one: drop them now, not when it expires
                order.removeIf(e -> !e.live);
            }
            return true;
        }

        /** The live entries in arrival order; the side is empty afterwards. */
        List<String> drain(long now) {
            expire(now);
            List<String> messages = new ArrayList<>(live);
            for (Entry entry : order) {
                if (entry.live) {
                    messages.add(entry.message);
                }
            }
            clear();
            return messages;
        }

        int size() {
            return live;
        }

        void clear() {
            order.clear();
            byMessage.clear();
            live = 0;
        }

        private void expire(long now) {
            Entry head;
            while ((head = order.peekFirst()) != null && (!head.live || now - head.at > MAX_AGE_NANOS)) {
                order.removeFirst();
                if (head.live) {
                    unindex(head);
                    forgotten++;
                }
            }
        }

        private void evictOldest() {
            Entry head;
            while ((head = order.pollFirst()) != null) {
                if (head.live) {
                    unindex(head);
                    forgotten++;
                    return;
                }
            }
        }

        private void unindex(Entry entry) {
            ArrayDeque<Entry> same = byMessage.get(entry.message);
            if (same != null) {
                same.removeFirstOccurrence(entry);
                if (same.isEmpty()) {
                    byMessage.remove(entry.message);
                }
            }
            entry.live = false;
            live--;
        }
    }

    private static final class Entry {
        private final String message;
        private final long at;
        private boolean live = true;

        private Entry(String message, long at) {
            this.message = message;
            this.at = at;
        }
    }
}
