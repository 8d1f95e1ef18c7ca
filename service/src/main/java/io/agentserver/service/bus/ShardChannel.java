package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One sharded channel this replica listens to on a Redis Cluster: its local listeners, and where it is subscribed.
 * Exactly one node subscription is <em>active</em> (its messages are delivered); with replica standby on, every
 * other node serving the channel's slot holds a <em>standby</em> subscription whose difference to the active one is
 * kept in a {@link StandbyLag}. When the active one is lost, a standby that still holds its subscription takes over
 * without a gap; without one, the {@link ShardedSubscriber} subscribes again and the listeners are told that
 * messages may have been missed.
 *
 * <p>Messages arrive on the event-loop threads of several connections; one lock per channel orders them, and
 * listeners are called under it, one message at a time, in the active node's order. The lock is never held while
 * waiting for Redis.
 */
final class ShardChannel {

    private static final System.Logger LOG = System.getLogger(ShardChannel.class.getName());

    /** One node's subscription to this channel. */
    static final class NodeSubscription {
        private final NodeLink link;
        private final StandbyLag lag = new StandbyLag();
        private boolean confirmed;

        private NodeSubscription(NodeLink link) {
            this.link = link;
        }

        NodeLink link() {
            return link;
        }
    }

    private final String name;
    private final int slot;
    private final BrokerCounters counters;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, NodeSubscription> subscriptions = new HashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private NodeSubscription active;
    /**
     * True from the loss of a confirmed active subscription with no standby to take over, until another one is
     * active and confirmed.
     */
    private boolean gap;
    private boolean retired;
    /**
     * The node that last dropped the active subscription ({@code sunsubscribe}): it no longer masters the slot, so
     * for a while a slot map that still names it is taken as stale and read again.
     */
    private String leftNode;
    private long leftAt;

    ShardChannel(String name, int slot, BrokerCounters counters) {
        this.name = name;
        this.slot = slot;
        this.counters = counters;
    }

    String name() {
        return name;
    }

    int slot() {
        return slot;
    }

    List<Registration> registrations() {
        return registrations;
    }

    /** Completes once the first active subscription is confirmed: messages published afterwards arrive. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** A message from {@code link}: delivered if it is the active node's, else recorded as a standby's. */
    void message(NodeLink link, String message) {
        lock.lock();
        try {
            NodeSubscription from = subscriptions.get(link.address());
            if (from == null || from.link != link) {
                return;
            }
            from.confirmed = true;
            if (from == active) {
                if (from.lag.deliveredAlready(message)) {
                    return;
                }
                for (NodeSubscription other : subscriptions.values()) {
                    if (other != from) {
                        other.lag.activeDelivered(message);
                    }
                }
                deliver(message);
            } else {
                from.lag.standbyReceived(message);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The subscription on {@code link} is gone: Redis pushed {@code sunsubscribe} ({@code dropped}: the slot left
     * that node), or the link was lost. If it was the active one, a confirmed standby takes over at once.
     *
     * @return true when the channel has no active subscription now (the caller subscribes again)
     */
    boolean lost(NodeLink link, boolean dropped) {
        lock.lock();
        try {
            NodeSubscription gone = subscriptions.get(link.address());
            if (gone == null || gone.link != link) {
                return active == null && !retired;
            }
            subscriptions.remove(link.address());
            if (gone == active) {
                active = null;
                if (dropped) {
                    leftNode = link.address();
                    leftAt = System.nanoTime();
                }
                promoteStandby();
            }
            return active == null && !retired;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The node that dropped the active subscription less than {@code within} ago (see {@link #leftNode}), if any:
     * a slot map naming it as the master is probably stale.
     */
    Optional<String> recentlyLeft(java.time.Duration within) {
        lock.lock();
        try {
            return leftNode != null && System.nanoTime() - leftAt < within.toNanos()
                    ? Optional.of(leftNode) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a subscription on {@code link} (not yet sent); the first one, or any while there is no active one, is
     * the active one. Empty if the channel was retired or already has a subscription on that node.
     */
    Optional<NodeSubscription> add(NodeLink link, boolean asActive) {
        lock.lock();
        try {
            NodeSubscription existing = subscriptions.get(link.address());
            if (retired || existing != null && existing.link == link && existing.link.usable()) {
                return Optional.empty();
            }
            NodeSubscription added = new NodeSubscription(link);
            subscriptions.put(link.address(), added);
            if (asActive && active == null) {
                active = added;
            }
            return Optional.of(added);
        } finally {
            lock.unlock();
        }
    }

    /** Redis confirmed {@code subscription}; false if it is no longer wanted (the caller unsubscribes it). */
    boolean confirmed(NodeSubscription subscription) {
        lock.lock();
        try {
            if (retired || subscriptions.get(subscription.link.address()) != subscription) {
                return false;
            }
            subscription.confirmed = true;
            if (subscription == active) {
                closeGap(subscription, "subscribed again");
                ready.complete(null);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Redis refused {@code subscription} (or the link failed): it is forgotten. */
    void failed(NodeSubscription subscription) {
        lock.lock();
        try {
            if (subscriptions.get(subscription.link.address()) == subscription) {
                subscriptions.remove(subscription.link.address());
                if (subscription == active) {
                    active = null;
                    promoteStandby();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when there is no active subscription, and no confirmed standby could take over. */
    boolean needsActive() {
        lock.lock();
        try {
            if (active == null && !retired) {
                promoteStandby();
            }
            return active == null && !retired;
        } finally {
            lock.unlock();
        }
    }

    /** The nodes (host:port) holding a subscription now. */
    List<String> nodes() {
        lock.lock();
        try {
            return List.copyOf(subscriptions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the standby subscriptions on nodes that no longer serve the slot (as far as the slot map knows); returns
     * the links to unsubscribe from. The active subscription is kept whatever the map says: a map can be stale, and
     * Redis itself drops the active subscription when its slot leaves the node.
     */
    List<NodeLink> dropStandbysOutside(java.util.Set<String> serving) {
        lock.lock();
        try {
            List<NodeLink> dropped = new ArrayList<>();
            for (NodeSubscription s : List.copyOf(subscriptions.values())) {
                if (s != active && (!serving.contains(s.link.address()) || !s.link.usable())) {
                    subscriptions.remove(s.link.address());
                    if (s.confirmed && s.link.usable()) {
                        dropped.add(s.link);
                    }
                }
            }
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The last listener left: every subscription is dropped; returns the links to unsubscribe from. */
    List<NodeLink> retire() {
        lock.lock();
        try {
            retired = true;
            List<NodeLink> links = subscriptions.values().stream().map(s -> s.link).toList();
            subscriptions.clear();
            active = null;
            ready.complete(null);
            return links;
        } finally {
            lock.unlock();
        }
    }

    boolean retired() {
        lock.lock();
        try {
            return retired;
        } finally {
            lock.unlock();
        }
    }

    /** Subscriptions held: the active one and the standbys. */
    int size() {
        lock.lock();
        try {
            return subscriptions.size();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held and no active subscription. */
    private void promoteStandby() {
        NodeSubscription next = null;
        for (NodeSubscription candidate : subscriptions.values()) {
            if (candidate.confirmed && candidate.link.usable()) {
                next = candidate;
                break;
            }
        }
        if (next == null) {
            // before the first confirmation nothing was delivered yet, so nothing can have been missed
            gap = gap || ready.isDone();
            return;
        }
        active = next;
        List<String> missed = next.lag.promote();
        for (NodeSubscription other : subscriptions.values()) {
            if (other != next) {
                other.lag.reset();
            }
        }
        missed.forEach(this::deliver);
        if (!closeGap(next, "moved to a standby")) {
            counters.resubscribed(1);
            LOG.log(Level.INFO, "sharded channel moved to its standby channel=" + name + " node="
                    + next.link.address() + " handed_over=" + missed.size());
        }
        ready.complete(null);
    }

    /**
     * Called with the lock held when {@code now} became the active subscription after one was lost with nothing to
     * take over: counts the re-subscription and tells the listeners that messages may be missing. False if there
     * was no such gap.
     */
    private boolean closeGap(NodeSubscription now, String how) {
        if (!gap) {
            return false;
        }
        gap = false;
        counters.resubscribed(1);
        LOG.log(Level.INFO, "sharded channel " + how + " channel=" + name + " node=" + now.link.address()
                + "; messages published meanwhile may be missing");
        BrokerCallbacks.deliver(() -> registrations.forEach(Registration::resubscribed));
        return true;
    }

    private void deliver(String message) {
        counters.received();
        BrokerCallbacks.deliver(() -> {
            for (Registration registration : registrations) {
                if (!registration.deliver(name, message)) {
                    counters.listenerFailed();
                }
            }
        });
    }
}
