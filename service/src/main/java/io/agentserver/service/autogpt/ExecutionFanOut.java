package io.agentserver.service.autogpt;

import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.observe.ServiceMetrics;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * This replica's hub for {@code /ws}: which local sockets subscribe to which channel key, and the broker
 * subscriptions that feed them. A key (an execution, a graph, or a user's notifications) is subscribed on
 * the broker when its first local socket arrives and released after its last one leaves, so the replica
 * only receives what its own sockets need. Each broker message is decoded once by {@link RedisIngest} and
 * its pre-encoded frame handed to every subscriber of the key; delivery never blocks (the broker's thread
 * calls in).
 */
public final class ExecutionFanOut {

    private static final System.Logger LOG = System.getLogger(ExecutionFanOut.class.getName());
    static final String BUS_SOURCE = "autogpt";

    private final EventBroker broker;
    private final RedisChannels channels;
    private final RedisIngest ingest;
    private final ServiceMetrics metrics;
    private final OwnRunHistory history;
    private final Map<String, KeyEntry> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyEntry> users = new ConcurrentHashMap<>();
    /** The last decoded message: a message matching two patterns arrives twice in a row, decode it once. */
    private volatile Decoded last;

    private record Decoded(String channel, String message, Optional<IngestedEvent> event) {
    }

    public ExecutionFanOut(EventBroker broker, RedisChannels channels, SubscriptionCodec codec, ServiceMetrics metrics) {
        this(broker, channels, codec, metrics, OwnRunHistory.NONE);
    }

    /**
     * @param history our own runs' node events, read back to fill what an execution's subscribers missed while
     *                the broker was away (see {@link OwnRunSequencer})
     */
    public ExecutionFanOut(EventBroker broker, RedisChannels channels, SubscriptionCodec codec, ServiceMetrics metrics,
                           OwnRunHistory history) {
        this.broker = broker;
        this.channels = channels;
        this.ingest = new RedisIngest(channels, codec);
        this.metrics = metrics;
        this.history = history;
    }

    /** A socket of {@code subscriber.userId()} opened: it gets that user's notifications from now on. */
    public void connect(ExecutionSubscriber subscriber) {
        join(users, subscriber.userId(), subscriber,
                entry -> broker.subscribe(channels.notificationChannel(subscriber.userId()), entry::onMessage));
    }

    /** The socket closed: it leaves its user and every key it subscribed to. */
    public void disconnect(ExecutionSubscriber subscriber, Set<String> channelKeys) {
        leave(users, subscriber.userId(), subscriber);
        channelKeys.forEach(key -> leave(keys, key, subscriber));
    }

    /** Subscribes to one execution of the subscriber's user; returns its channel key. */
    public String subscribeExecution(ExecutionSubscriber subscriber, String graphExecId) {
        String key = ChannelKeys.execution(subscriber.userId(), graphExecId);
        OptionalLong ownRunAt = history.lastSeq(subscriber.userId(), graphExecId);
        join(keys, key, subscriber, entry -> {
            ownRunAt.ifPresent(seq -> entry.sequenceOwnRun(subscriber.userId(), graphExecId, seq));
            return broker.subscribePattern(channels.executionPattern(subscriber.userId(), graphExecId),
                    entry.listener());
        });
        return key;
    }

    /** Subscribes to every execution of one graph of the subscriber's user; returns its channel key. */
    public String subscribeGraph(ExecutionSubscriber subscriber, String graphId) {
        String key = ChannelKeys.graph(subscriber.userId(), graphId);
        join(keys, key, subscriber,
                entry -> broker.subscribePattern(channels.graphPattern(subscriber.userId(), graphId), entry::onMessage));
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

    private void join(Map<String, KeyEntry> map, String key, ExecutionSubscriber subscriber,
                      Function<KeyEntry, Subscription> subscribe) {
        while (true) {
            KeyEntry entry = map.computeIfAbsent(key, k -> new KeyEntry(k, map == users));
            // A lock, not a monitor: the first subscriber waits here for the broker (up to its timeout), and a
            // virtual thread blocked in a monitor pins its carrier on JDK 21.
            entry.lock.lock();
            try {
                if (entry.retired) {
                    continue;
                }
                entry.subscribers.add(subscriber);
                if (entry.subscription == null) {
                    entry.subscription = subscribe.apply(entry);
                }
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

    private Optional<IngestedEvent> decodeOnce(String channel, String message) {
        Decoded previous = last;
        if (previous != null && previous.channel.equals(channel) && previous.message.equals(message)) {
            return previous.event;
        }
        Optional<IngestedEvent> event = ingest.decode(channel, message);
        last = new Decoded(channel, message, event);
        return event;
    }

    /** The local subscribers of one key and the broker listener that feeds them. */
    private final class KeyEntry {
        private final String key;
        private final boolean everySocketOfUser;
        private final Set<ExecutionSubscriber> subscribers = ConcurrentHashMap.newKeySet();
        private final ReentrantLock lock = new ReentrantLock();
        private Subscription subscription;
        private boolean retired;
        /** Set for an execution key of one of our own runs. */
        private volatile OwnRunSequencer ownRun;

        private KeyEntry(String key, boolean everySocketOfUser) {
            this.key = key;
            this.everySocketOfUser = everySocketOfUser;
        }

        private void sequenceOwnRun(String userId, String interactionId, long lastSeq) {
            ownRun = new OwnRunSequencer(history, userId, interactionId, lastSeq, this::route);
        }

        private MessageListener listener() {
            return new MessageListener() {
                @Override
                public void onMessage(String channel, String message) {
                    KeyEntry.this.onMessage(channel, message);
                }

                @Override
                public void resubscribed() {
                    OwnRunSequencer sequencer = ownRun;
                    if (sequencer != null) {
                        sequencer.resubscribed();
                    }
                }
            };
        }

        private void onMessage(String channel, String message) {
            metrics.busReceived(BUS_SOURCE);
            Optional<IngestedEvent> decoded = decodeOnce(channel, message);
            if (decoded.isEmpty()) {
                metrics.busDropped("autogpt_unusable");
                LOG.log(Level.DEBUG, () -> "dropped bus message channel=" + channel + " bytes=" + message.length());
                return;
            }
            OwnRunSequencer sequencer = ownRun;
            if (sequencer != null && sequenced(sequencer, channel, message, decoded.get())) {
                return;
            }
            route(decoded.get());
        }

        /** Hands an event of our own run to its sequencer; false when it is not one it orders. */
        private boolean sequenced(OwnRunSequencer sequencer, String channel, String message, IngestedEvent event) {
            if (event.method() == WsMethod.NODE_EXECUTION_EVENT && event.emittedAt().isPresent()) {
                OptionalLong seq = OwnRunSequencer.seqOf(message);
                seq.ifPresent(s -> sequencer.offer(channel, message, s));
                return seq.isPresent();
            }
            if (event.method() == WsMethod.GRAPH_EXECUTION_EVENT) {
                Optional<String> status = OwnRunSequencer.statusOf(message);
                status.ifPresent(s -> sequencer.offerStatus(channel, message, s));
                return status.isPresent();
            }
            return false;
        }

        /** A message the sequencer lets through now (live or read back from the log). */
        private void route(String channel, String message) {
            decodeOnce(channel, message).ifPresent(this::route);
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
