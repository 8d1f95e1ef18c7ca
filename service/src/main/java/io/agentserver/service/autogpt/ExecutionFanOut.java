package io.agentserver.service.autogpt;

import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.SharedSubscription;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.observe.ServiceMetrics;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * This replica's hub for {@code /ws}: which local sockets subscribe to which channel key (an execution, a graph,
 * or a user's notifications), fed by <strong>one</strong> broker subscription per bus for the whole replica,
 * routed in memory. Redis matches every PUBLISH against every pattern it holds, so a pattern per watched
 * execution made its cost per PUBLISH grow with the executions watched; the replica-wide
 * {@code execution_event/*} (the same pattern the history recorder holds, so Redis sends each message once
 * per replica) keeps it flat. The price: the replica receives every executor event, and drops those no local
 * socket watches after reading the channel name only ({@code execution_event/U/G/E} names both keys it could
 * feed), without decoding. A message some local key wants is decoded once by {@link RedisIngest} and its
 * pre-encoded frame handed to every subscriber of the key; delivery never blocks (the broker's thread calls in).
 *
 * <p>A bus subscription is held while any local key (or socket, for notifications) needs it: the first one
 * waits until the broker confirmed it, so that an acknowledged subscription receives every later event.
 *
 * <p><b>Sharded scheme</b> ({@link AutoGptBus#SHARDED}): sharded pub/sub has no patterns, so each key holds its own
 * exact channel instead, shared by every local socket of the key and released after the last one leaves:
 * {@code execution_event/{U/G}/exec/E} for an execution (the graph comes from the {@code ExecutionDirectory}),
 * {@code execution_event/{U/G}/all} for a graph, {@code notification_event/U} for a user's sockets. Redis's cost per
 * SPUBLISH does not depend on how many channels it holds, and on a Redis Cluster each channel lives on the node of
 * its slot. Execution channels are announced to the {@link ExecutionWatchers} (the history recorder).
 */
public final class ExecutionFanOut {

    private static final System.Logger LOG = System.getLogger(ExecutionFanOut.class.getName());
    static final String BUS_SOURCE = "autogpt";

    private final BusDecoder decoder;
    private final ServiceMetrics metrics;
    private final String executionPrefix;
    private final String notificationPrefix;
    private final Map<String, KeyEntry> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyEntry> users = new ConcurrentHashMap<>();
    private final SharedSubscription executionBus;
    private final SharedSubscription notificationBus;
    private final EventBroker broker;
    private final RedisChannels channels;
    private final AutoGptBus scheme;
    private final ExecutionWatchers watchers;

    public ExecutionFanOut(EventBroker broker, RedisChannels channels, SubscriptionCodec codec, ServiceMetrics metrics) {
        this(broker, channels, new BusDecoder(new RedisIngest(channels, codec)), metrics);
    }

    /** @param decoder shared with the other listeners of the execution bus, so that a message is decoded once */
    public ExecutionFanOut(EventBroker broker, RedisChannels channels, BusDecoder decoder, ServiceMetrics metrics) {
        this(broker, channels, decoder, metrics, AutoGptBus.CLASSIC, ExecutionWatchers.NONE);
    }

    /**
     * @param scheme   how AutoGPT's executors publish
     * @param watchers told when this replica starts and stops holding an execution's sharded channel
     */
    public ExecutionFanOut(EventBroker broker, RedisChannels channels, BusDecoder decoder, ServiceMetrics metrics,
                           AutoGptBus scheme, ExecutionWatchers watchers) {
        this.broker = broker;
        this.channels = channels;
        this.scheme = scheme;
        this.watchers = watchers;
        this.decoder = decoder;
        this.metrics = metrics;
        this.executionPrefix = channels.executionBus() + "/";
        this.notificationPrefix = channels.notificationBus() + "/";
        // What was published while the broker was away is gone, as in AutoGPT: executor events are a live view
        // (a client catches up with `since`); our own runs reach /ws from their step log, not from here.
        this.executionBus = new SharedSubscription(
                () -> broker.subscribePattern(channels.executionBusPattern(), this::onExecutionMessage));
        this.notificationBus = new SharedSubscription(
                () -> broker.subscribePattern(channels.notificationBusPattern(), this::onNotification));
    }

    /** A socket of {@code subscriber.userId()} opened: it gets that user's notifications from now on. */
    public void connect(ExecutionSubscriber subscriber) {
        join(users, subscriber.userId(), subscriber, scheme == AutoGptBus.SHARDED
                ? entry -> sharded(entry, channels.notificationChannel(subscriber.userId()))
                : entry -> notificationBus.acquire());
    }

    /** The socket closed: it no longer gets its user's notifications (it left its keys one by one). */
    public void disconnect(ExecutionSubscriber subscriber) {
        leave(users, subscriber.userId(), subscriber);
    }

    /**
     * Subscribes to one execution of the subscriber's user; returns its channel key. Classic scheme only: the
     * sharded one needs the execution's graph ({@link #subscribeExecution(ExecutionSubscriber, String, Optional)}).
     */
    public String subscribeExecution(ExecutionSubscriber subscriber, String graphExecId) {
        return subscribeExecution(subscriber, graphExecId, Optional.empty());
    }

    /**
     * Subscribes to one execution of the subscriber's user; returns its channel key.
     *
     * @param graphId the execution's graph, as the execution directory resolved it; required by the sharded scheme
     * @throws IllegalArgumentException in the sharded scheme without a graph id
     */
    public String subscribeExecution(ExecutionSubscriber subscriber, String graphExecId, Optional<String> graphId) {
        String userId = subscriber.userId();
        String key = ChannelKeys.execution(userId, graphExecId);
        Function<KeyEntry, Subscription> hold;
        if (scheme == AutoGptBus.SHARDED) {
            String graph = graphId.orElseThrow(() -> new IllegalArgumentException(
                    "the sharded scheme needs the graph of execution " + graphExecId));
            String channel = channels.shardedExecutionChannel(userId, graph, graphExecId);
            hold = entry -> {
                Subscription subscription = sharded(entry, channel);
                Subscription watch = watchers.watched(key, channel);
                return () -> {
                    subscription.close();
                    watch.close();
                };
            };
        } else {
            hold = entry -> executionBus.acquire();
        }
        join(keys, key, subscriber, hold);
        return key;
    }

    /** Subscribes to every execution of one graph of the subscriber's user; returns its channel key. */
    public String subscribeGraph(ExecutionSubscriber subscriber, String graphId) {
        String key = ChannelKeys.graph(subscriber.userId(), graphId);
        join(keys, key, subscriber, scheme == AutoGptBus.SHARDED
                ? entry -> sharded(entry, channels.shardedGraphChannel(subscriber.userId(), graphId))
                : entry -> executionBus.acquire());
        return key;
    }

    /** Leaves one channel key. */
    public void unsubscribe(ExecutionSubscriber subscriber, String channelKey) {
        leave(keys, channelKey, subscriber);
    }

    /** Channel keys with at least one local subscriber (for tests and diagnostics). */
    public int activeKeys() {
        return keys.size();
    }

    /** The key's own sharded channel, delivered to it alone. */
    private Subscription sharded(KeyEntry entry, String channel) {
        // What was published while the broker was away is gone here too (see the constructor).
        return broker.subscribeSharded(channel,
                (ch, message) -> decoded(ch, message).ifPresent(event -> entry.onMessage(ch, message, event)));
    }

    /** @param hold makes the key's bus subscription (the replica-wide pattern, or the key's sharded channel) */
    private void join(Map<String, KeyEntry> map, String key, ExecutionSubscriber subscriber,
                      Function<KeyEntry, Subscription> hold) {
        while (true) {
            KeyEntry entry = map.computeIfAbsent(key, k -> new KeyEntry(k, map == users));
            // A lock, not a monitor: the first subscriber of the replica waits here for the broker (up to its
            // timeout), and a virtual thread blocked in a monitor pins its carrier on JDK 21.
            entry.lock.lock();
            try {
                if (entry.retired) {
                    continue;
                }
                if (entry.subscription == null) {
                    entry.subscription = hold.apply(entry);
                }
                entry.subscribers.add(subscriber);
                return;
            } finally {
                entry.lock.unlock();
            }
        }
    }

    private void leave(Map<String, KeyEntry> map, String key, ExecutionSubscriber subscriber) {
        KeyEntry entry = map.get(key);
        if (entry == null) {
            return;
        }
        Subscription release = null;
        entry.lock.lock();
        try {
            if (entry.subscribers.remove(subscriber) && entry.subscribers.isEmpty()) {
                entry.retired = true;
                map.remove(key, entry);
                release = entry.subscription;
            }
        } finally {
            entry.lock.unlock();
        }
        if (release != null) {
            release.close();
        }
    }

    /**
     * Every message of the execution bus reaches every replica: find the local keys it could feed from the channel
     * name alone ({@code execution_event/U/G/E} feeds {@code U|graph_exec#E} and {@code U|graph#G|executions}),
     * and decode only when one exists. Runs on the broker's thread.
     */
    private void onExecutionMessage(String channel, String message) {
        if (keys.isEmpty() || !channel.startsWith(executionPrefix)) {
            return;
        }
        int start = executionPrefix.length();
        int first = channel.indexOf('/', start);
        int last = channel.lastIndexOf('/');
        if (first > start && last > first && channel.indexOf('/', first + 1) == last) {
            String userId = channel.substring(start, first);
            KeyEntry byExecution = keys.get(ChannelKeys.execution(userId, channel.substring(last + 1)));
            KeyEntry byGraph = keys.get(ChannelKeys.graph(userId, channel.substring(first + 1, last)));
            if (byExecution == null && byGraph == null) {
                return;
            }
            decoded(channel, message).ifPresent(event -> {
                if (byExecution != null) {
                    byExecution.onMessage(channel, message, event);
                }
                if (byGraph != null) {
                    byGraph.onMessage(channel, message, event);
                }
            });
            return;
        }
        // An id holding a '/' makes the name ambiguous: decode, and route by the ids the event names (ingest
        // checked that they rebuild this very channel name).
        decoded(channel, message).ifPresent(event -> event.deliveries().stream()
                .map(IngestedEvent.Delivery::channelKey)
                .filter(Objects::nonNull)
                .distinct()
                .map(keys::get)
                .filter(Objects::nonNull)
                .forEach(entry -> entry.onMessage(channel, message, event)));
    }

    /** A user's notification ({@code notification_event/U}) for the local sockets of U, if any. */
    private void onNotification(String channel, String message) {
        if (!channel.startsWith(notificationPrefix)) {
            return;
        }
        KeyEntry user = users.get(channel.substring(notificationPrefix.length()));
        if (user != null) {
            decoded(channel, message).ifPresent(event -> user.onMessage(channel, message, event));
        }
    }

    /** A message some local key wants, decoded once for all of them; empty (counted) when unusable. */
    private Optional<IngestedEvent> decoded(String channel, String message) {
        metrics.busReceived(BUS_SOURCE);
        Optional<IngestedEvent> event = decoder.decode(channel, message);
        if (event.isEmpty()) {
            metrics.busDropped("autogpt_unusable");
            LOG.log(Level.DEBUG, () -> "dropped bus message channel=" + channel + " bytes=" + message.length());
        }
        return event;
    }

    /** The local subscribers of one key. */
    private final class KeyEntry {
        private final String key;
        private final boolean everySocketOfUser;
        private final Set<ExecutionSubscriber> subscribers = ConcurrentHashMap.newKeySet();
        private final ReentrantLock lock = new ReentrantLock();
        /** This key's hold on its bus subscription. */
        private Subscription subscription;
        private boolean retired;

        private KeyEntry(String key, boolean everySocketOfUser) {
            this.key = key;
            this.everySocketOfUser = everySocketOfUser;
        }

        private void onMessage(String channel, String message, IngestedEvent event) {
            route(event);
        }

        private void route(IngestedEvent event) {
            for (IngestedEvent.Delivery delivery : event.deliveries()) {
                boolean mine = everySocketOfUser
                        ? delivery.toEverySocketOfUser() && key.equals(event.userId())
                        : key.equals(delivery.channelKey());
                if (mine) {
                    deliver(event, delivery.frame());
                }
            }
        }

        private void deliver(IngestedEvent event, EncodedFrame frame) {
            for (ExecutionSubscriber subscriber : subscribers) {
                if (subscriber.userId().equals(event.userId())) {
                    subscriber.deliver(event, frame);
                } else {
                    metrics.busDropped("autogpt_foreign_user");
                    LOG.log(Level.WARNING, "refused foreign event conn=" + subscriber.connectionId()
                            + " user=" + subscriber.userId() + " event_user=" + event.userId());
                }
            }
        }
    }
}
