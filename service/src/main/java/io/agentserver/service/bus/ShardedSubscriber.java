package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import reactor.core.Disposable;

/**
 * Sharded subscriptions ({@code SSUBSCRIBE}) on a Redis Cluster, for one replica: one pub/sub connection
 * ({@link NodeLink}) per node that holds any of them, each channel subscribed where its slot lives, reference-counted
 * (the first local listener subscribes, the last one to leave unsubscribes).
 *
 * <p><b>Following the slot.</b> A channel's slot leaves a node in a failover (the master is demoted) or a slot
 * migration; Redis then pushes {@code sunsubscribe} to the node's subscribers of that slot. A node can also be lost
 * altogether. In every case the channel is subscribed again where its slot is now, found from the cluster's slot map,
 * which is read again first ({@code MOVED} replies read it again too). With replica standby on (the default) each
 * channel is also subscribed on the replicas of its slot's master: a failover promotes one of them, whose
 * subscription Redis keeps, so it takes over at once and hands over what it received that the old master's
 * subscription had not delivered (see {@link StandbyLag}); nothing that reached a node of the shard is lost. The
 * replicas are the ones the slot map names and the ones that say so themselves: a master demoted by a failover serves
 * the slot as a replica at once, before the rest of the cluster (and so the slot map) knows it (see {@link SlotMap}).
 * Without a standby that survived (a slot migration to another shard, or standby off) the messages published before
 * the new subscription was confirmed are lost, and the channel's listeners are told
 * ({@link MessageListener#resubscribed()}). Both count in {@link BrokerStats#resubscriptions()}.
 *
 * <p><b>Threads.</b> Messages arrive on Lettuce's event loop and are delivered there (see {@link ShardChannel}).
 * Placing subscriptions, reading the slot map and reconnecting run on one control thread; {@link #subscribe} waits
 * for the first confirmation (bounded by the command timeout) unless called from a listener.
 */
final class ShardedSubscriber implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShardedSubscriber.class.getName());
    static final String LINK_NAME = "agent-server-bus-ssub";
    /** After a redirect: how long to let the cluster's nodes agree before the slot map is read again. */
    private static final Duration SETTLE_DELAY = Duration.ofMillis(100);
    /** How long a slot map that still names the node that just gave the slot up is read again before it is trusted. */
    private static final Duration STALE_MAP_PATIENCE = Duration.ofSeconds(3);

    private final RedisClusterClient cluster;
    private final StatefulRedisClusterConnection<String, String> nodes;
    private final RedisClient nodeClient;
    private final RedisURI seed;
    private final BrokerSettings settings;
    private final BrokerCounters counters;
    private final ScheduledExecutorService control;
    private final Disposable topologyEvents;
    /** Guards which {@link ShardChannel} a name maps to together with its listeners; never held while waiting. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ShardChannel> channels = new ConcurrentHashMap<>();
    /** Links by host:port; read on any thread, changed on the control thread only. */
    private final Map<String, NodeLink> links = new ConcurrentHashMap<>();
    private final NodeLink.Events events = new LinkEvents();

    /** Channels to place again, and whether the slot map must be read first; control thread only. */
    private final Set<ShardChannel> dirty = new LinkedHashSet<>();
    /** Channels a node just dropped, by that node: placed from its own slot map; control thread only. */
    private final Map<NodeLink, Set<ShardChannel>> dropped = new HashMap<>();
    private boolean refreshFirst;
    /** When the next pass is due (nanoTime), if one is scheduled. */
    private boolean passScheduled;
    private long nextPassAt;
    private Duration retryDelay = BrokerSettings.RECONNECT_MIN_DELAY;
    private volatile boolean closed;

    /**
     * @param cluster the cluster client whose slot map places channels
     * @param nodes   a connection of that client, through which single nodes are asked for their own slot map
     */
    ShardedSubscriber(RedisClusterClient cluster, StatefulRedisClusterConnection<String, String> nodes,
                      ClientResources resources, RedisURI seed, BrokerSettings settings, BrokerCounters counters) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.seed = seed;
        this.settings = settings;
        this.counters = counters;
        this.nodeClient = RedisClient.create(resources);
        this.nodeClient.setOptions(RedisConnections.baseOptions(settings)
                .autoReconnect(false)
                .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        this.control = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bus-shards");
            thread.setDaemon(true);
            return thread;
        });
        this.topologyEvents = resources.eventBus().get()
                .filter(event -> event instanceof ClusterTopologyChangedEvent)
                .subscribe(event -> control.execute(() -> markAll(false)));
        // connect to every node now: the first subscription of a channel then costs one round trip, not a connect
        control.execute(this::connectAll);
    }

    private void connectAll() {
        for (RedisClusterNode node : new SlotMap(cluster.getPartitions()).reachable()) {
            link(node.getUri().getHost(), node.getUri().getPort());
        }
    }

    /** Holds {@code channel} for {@code listener} until the returned subscription is closed. */
    Subscription subscribe(String channel, MessageListener listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        Registration registration = new Registration(listener);
        ShardChannel shard;
        boolean first;
        lock.lock();
        try {
            if (closed) {
                return ListenerSubscription.closed();
            }
            shard = channels.computeIfAbsent(channel, name -> new ShardChannel(name, SlotHash.getSlot(name), counters));
            shard.registrations().add(registration);
            first = shard.registrations().size() == 1;
        } finally {
            lock.unlock();
        }
        if (first) {
            control.execute(() -> place(shard));
        }
        awaitFirstConfirmation(shard);
        return new ListenerSubscription(registration, r -> unsubscribe(shard, r));
    }

    /** Channels with at least one local listener. */
    int channels() {
        return channels.size();
    }

    /** Pub/sub connections open now, one per node holding subscriptions. */
    int connections() {
        return (int) links.values().stream().filter(NodeLink::usable).count();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            channels.values().forEach(ShardChannel::retire);
            channels.clear();
        } finally {
            lock.unlock();
        }
        topologyEvents.dispose();
        control.shutdownNow();
        // the client's shutdown closes every link (closing them one by one first makes Lettuce warn twice each)
        links.values().forEach(NodeLink::closing);
        links.clear();
        RedisConnections.quietly(() -> nodeClient.shutdown(Duration.ZERO, RedisConnections.SHUTDOWN_TIMEOUT));
    }

    private void awaitFirstConfirmation(ShardChannel shard) {
        CompletableFuture<Void> ready = shard.ready();
        if (ready.isDone() || BrokerCallbacks.inCallback()) {
            return;
        }
        try {
            // placing may have to connect to the slot's node first
            ready.get(settings.connectTimeout().plus(settings.commandTimeout()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "sharded subscription not confirmed yet channel=" + shard.name() + "; it is placed"
                    + " once the slot's node answers, messages published before that are not received");
        } catch (ExecutionException | CancellationException e) {
            LOG.log(Level.WARNING, "sharded subscription failed channel=" + shard.name(), e);
        }
    }

    private void unsubscribe(ShardChannel shard, Registration registration) {
        boolean last;
        lock.lock();
        try {
            last = shard.registrations().remove(registration) && shard.registrations().isEmpty()
                    && channels.remove(shard.name(), shard);
        } finally {
            lock.unlock();
        }
        if (last) {
            List<NodeLink> held = shard.retire();
            if (!closed) {
                control.execute(() -> held.forEach(link -> link.unsubscribe(shard.name())));
            }
        }
    }

    // ------------------------------------------------------------------ control thread

    /** First placement of a new channel: on its slot's master, and standbys on the master's replicas. */
    private void place(ShardChannel shard) {
        mark(shard, false);
    }

    private void mark(ShardChannel shard, boolean refresh) {
        dirty.add(shard);
        refreshFirst |= refresh;
        schedulePass(Duration.ZERO);
    }

    private void markAll(boolean refresh) {
        dirty.addAll(channels.values());
        refreshFirst |= refresh;
        schedulePass(Duration.ZERO);
    }

    /** Schedules a pass unless one is due no later (a new channel never waits behind a back-off). */
    private void schedulePass(Duration delay) {
        long at = System.nanoTime() + delay.toNanos();
        if (closed || passScheduled && at - nextPassAt >= 0) {
            return;
        }
        passScheduled = true;
        nextPassAt = at;
        control.schedule(this::pass, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Places every dirty channel; what could not be placed is tried again after a growing delay. */
    private void pass() {
        if (System.nanoTime() - nextPassAt < 0) {
            return; // an earlier pass ran since this one was scheduled; the later one is still due
        }
        passScheduled = false;
        if (closed || dirty.isEmpty()) {
            return;
        }
        if (refreshFirst) {
            refreshFirst = false;
            try {
                cluster.refreshPartitions();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "reading the cluster's slot map failed", e);
            }
        }
        List<ShardChannel> work = new ArrayList<>(dirty);
        dirty.clear();
        Placement worst = Placement.DONE;
        SlotMap map = new SlotMap(cluster.getPartitions());
        OwnViews views = new OwnViews();
        for (ShardChannel shard : work) {
            Placement placement = shard.retired() ? Placement.DONE : reconcile(shard, map, views, false);
            if (placement != Placement.DONE) {
                dirty.add(shard);
                worst = placement.compareTo(worst) > 0 ? placement : worst;
            }
        }
        switch (worst) {
            case DONE -> retryDelay = BrokerSettings.RECONNECT_MIN_DELAY;
            case STALE_MAP -> {
                refreshFirst = true;
                schedulePass(SETTLE_DELAY);
            }
            case UNREACHABLE -> {
                refreshFirst = true;
                Duration delay = retryDelay;
                retryDelay = min(retryDelay.multipliedBy(2), settings.reconnectMaxDelay());
                schedulePass(delay);
            }
        }
    }

    /**
     * Places the channels a node just dropped (it pushed {@code sunsubscribe}: their slot left it) from that node's
     * own slot map, which is the first to know where the slot went: one round trip, where reading the cluster's map
     * may still name the node that let go for a while. (A failover hands over to a standby without this, when there
     * is one.) The cluster's map is read again afterwards, for the standbys and in case the node was wrong.
     */
    private void placeDropped(NodeLink link) {
        Set<ShardChannel> shards = dropped.remove(link);
        if (shards == null || shards.isEmpty()) {
            return;
        }
        Optional<SlotMap> view = slotMapOf(link.host(), link.port());
        OwnViews views = new OwnViews();
        for (ShardChannel shard : shards) {
            if (view.isEmpty() || shard.retired() || reconcile(shard, view.get(), views, true) != Placement.DONE) {
                dirty.add(shard);
            }
        }
        for (ShardChannel shard : shards) {
            dirty.add(shard);
        }
        refreshFirst = true;
        schedulePass(view.isPresent() ? SETTLE_DELAY : Duration.ZERO);
    }

    /** {@code CLUSTER NODES} as one node sees it now (on our link to it, if there is one); empty if it cannot say. */
    private Optional<SlotMap> slotMapOf(String host, int port) {
        NodeLink link = links.get(host + ":" + port);
        try {
            String text = (link != null && link.usable() ? link.clusterNodes()
                    : nodes.getConnectionAsync(host, port)
                            .thenCompose(connection -> connection.async().clusterNodes()))
                    .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(SlotMap.ofNode(text, host, port));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot read the slot map of " + host + ":" + port + ": " + e);
            return Optional.empty();
        }
    }

    /**
     * What nodes say of themselves, each asked at most once per pass. Only the nodes a slot map shows as masters
     * without slots are asked (see {@link SlotMap#serving(RedisClusterNode, boolean, java.util.function.Function)}):
     * a settled cluster costs nothing.
     */
    private final class OwnViews {
        private final Map<String, Optional<SlotMap>> answers = new HashMap<>();

        Optional<SlotMap> of(RedisClusterNode node) {
            return answers.computeIfAbsent(SlotMap.address(node),
                    address -> slotMapOf(node.getUri().getHost(), node.getUri().getPort()));
        }
    }

    /** How placing a channel went, the worse later. */
    private enum Placement {
        DONE,
        /** The slot map still names the node that just let the channel go: read it again shortly. */
        STALE_MAP,
        /** A node could not be reached (or no master is known): try again with back-off. */
        UNREACHABLE
    }

    /**
     * Brings one channel to where its slot lives now: drops subscriptions on nodes that no longer serve it, makes
     * sure one is active (promoting a standby, or subscribing on the master), and adds missing standbys.
     *
     * <p>The active subscription is always placed on the slot's master: a replica only receives the master's
     * messages once the master knows it as its replica, which a node demoted a moment ago may not be yet.
     */
    private Placement reconcile(ShardChannel shard, SlotMap map, OwnViews views, boolean fresh) {
        Optional<RedisClusterNode> found = map.master(shard.slot());
        if (found.isEmpty()) {
            LOG.log(Level.DEBUG, "no master known for slot {0}", shard.slot());
            return Placement.UNREACHABLE;
        }
        RedisClusterNode master = found.get();
        if (!fresh && shard.recentlyLeft(STALE_MAP_PATIENCE).filter(SlotMap.address(master)::equals).isPresent()) {
            return Placement.STALE_MAP;
        }
        List<RedisClusterNode> serving = map.serving(master, settings.replicaStandby(), views::of);
        Set<String> servingAddresses = new LinkedHashSet<>();
        serving.forEach(node -> servingAddresses.add(SlotMap.address(node)));
        shard.dropStandbysOutside(servingAddresses).forEach(link -> {
            LOG.log(Level.DEBUG, () -> "SUNSUBSCRIBE channel=" + shard.name() + " node=" + link
                    + ": no longer serves the slot");
            link.unsubscribe(shard.name());
        });
        boolean reached = true;
        if (shard.needsActive()) {
            reached = subscribeOn(shard, master, true);
        }
        if (settings.replicaStandby()) {
            Set<String> held = Set.copyOf(shard.nodes());
            for (RedisClusterNode node : serving) {
                if (!held.contains(SlotMap.address(node))) {
                    reached &= subscribeOn(shard, node, false);
                }
            }
        }
        return reached ? Placement.DONE : Placement.UNREACHABLE;
    }

    private boolean subscribeOn(ShardChannel shard, RedisClusterNode node, boolean active) {
        return subscribeOn(shard, node.getUri().getHost(), node.getUri().getPort(), active);
    }

    /**
     * Sends {@code SSUBSCRIBE} on the node's link (connecting it first); false if the node cannot be reached. A
     * {@code MOVED host:port} answer subscribes there at once (the slot map is read again afterwards), so a channel
     * whose slot migrated is back within two round trips.
     */
    private boolean subscribeOn(ShardChannel shard, String host, int port, boolean active) {
        Optional<NodeLink> link = link(host, port);
        if (link.isEmpty()) {
            return false;
        }
        LOG.log(Level.DEBUG, () -> "SSUBSCRIBE channel=" + shard.name() + " node=" + link.get()
                + (active ? " (active)" : " (standby)"));
        shard.add(link.get(), active).ifPresent(subscription -> link.get().subscribe(shard.name())
                .whenComplete((ignored, error) -> {
                    if (error == null) {
                        if (!shard.confirmed(subscription)) {
                            link.get().unsubscribe(shard.name());
                        }
                        return;
                    }
                    shard.failed(subscription);
                    Optional<String[]> moved = SlotMap.movedTo(error);
                    LOG.log(Level.DEBUG, "SSUBSCRIBE refused channel=" + shard.name() + " node=" + link.get()
                            + ": " + error.getMessage());
                    control.execute(() -> {
                        if (moved.isPresent() && shard.needsActive()) {
                            subscribeOn(shard, moved.get()[0], Integer.parseInt(moved.get()[1]), true);
                        }
                        refreshFirst = true;
                        dirty.add(shard);
                        schedulePass(SETTLE_DELAY);
                    });
                }));
        return true;
    }

    /** The link to a node, connected now if there is none; empty (logged) if the node cannot be reached. */
    private Optional<NodeLink> link(String host, int port) {
        String address = host + ":" + port;
        NodeLink existing = links.get(address);
        if (existing != null && existing.usable()) {
            return Optional.of(existing);
        }
        try {
            NodeLink created = new NodeLink(nodeClient, RedisUris.forNode(seed, host, port, LINK_NAME), events);
            links.put(address, created);
            return Optional.of(created);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot reach Redis node " + address + " for sharded subscriptions: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** What the node links report; runs on Lettuce's event loop. */
    private final class LinkEvents implements NodeLink.Events {

        @Override
        public void message(NodeLink link, String channel, String message) {
            ShardChannel shard = channels.get(channel);
            if (shard != null) {
                shard.message(link, message);
            }
        }

        @Override
        public void dropped(NodeLink link, String channel) {
            ShardChannel shard = channels.get(channel);
            if (shard == null) {
                return;
            }
            LOG.log(Level.DEBUG, "node dropped a sharded subscription channel={0} node={1}", channel, link);
            shard.lost(link, true);
            if (closed) {
                return;
            }
            control.execute(() -> {
                Set<ShardChannel> fromLink = dropped.computeIfAbsent(link, l -> new LinkedHashSet<>());
                fromLink.add(shard);
                if (fromLink.size() == 1) {
                    control.execute(() -> placeDropped(link));
                }
            });
        }

        @Override
        public void lost(NodeLink link) {
            if (closed) {
                return;
            }
            control.execute(() -> {
                links.remove(link.address(), link);
                LOG.log(Level.WARNING, "lost the sharded pub/sub connection to Redis node " + link
                        + "; its channels move to where their slots are now");
                for (ShardChannel shard : channels.values()) {
                    shard.lost(link, false);
                }
                markAll(true);
            });
        }
    }
}
