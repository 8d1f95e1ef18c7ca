package io.agentserver.service.autogpt.history;

import io.agentserver.service.autogpt.AutoGptBus;
import io.agentserver.service.autogpt.BusDecoder;
import io.agentserver.service.autogpt.ExecutionWatchers;
import io.agentserver.service.autogpt.IngestedEvent;
import io.agentserver.service.autogpt.RedisChannels;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.Subscription;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records every execution event of the executor channels into the {@link ExecutionHistory}, whether or not a
 * socket of this replica watches it (a client that dropped may come back to any replica), and hands each
 * recorded frame with its id to the local listeners of that execution that recover. One subscription to the
 * whole execution bus per replica, the same pattern the replica's {@code /ws} routing holds (Redis sends each message
 * once); messages are decoded by the shared {@link BusDecoder} (so nothing that ingest would refuse is recorded,
 * and a message is decoded once for both) and written in arrival order by one virtual thread, off the broker's thread, pipelined.
 *
 * <p><b>Sharded scheme.</b> Sharded pub/sub has no patterns: no replica can listen to every execution. The recorder
 * records the executions this replica's sockets watch ({@link ExecutionWatchers}: it holds the execution's sharded
 * channel too), and keeps recording one for {@code linger} after its last socket left, so that a client that
 * dropped and comes back to any replica within that time finds what it missed. What was published while no replica
 * watched is not recorded: a recovery from the start ({@code since} {@code "0"}) is therefore never reported
 * complete in this scheme.
 */
public final class HistoryRecorder implements AutoCloseable, ExecutionWatchers {

    private static final System.Logger LOG = System.getLogger(HistoryRecorder.class.getName());
    private static final int QUEUE_CAPACITY = 10_000;

    /** A local socket's view of one execution it recovers: gets each recorded frame with its id. */
    public interface Listener {
        /** {@code id} is empty when the history could not be written (the frame still goes out live). */
        void recorded(Optional<String> id, String frame);
    }

    private record Pending(String executionKey, String frame) {
    }

    private final EventBroker broker;
    private final RedisChannels channels;
    private final BusDecoder decoder;
    private final ExecutionHistory history;
    private final AutoGptBus scheme;
    private final Duration linger;
    /** Sharded scheme: the executions recorded now, by sharded channel; guarded by {@link #holdsLock}. */
    private final Map<String, Held> held = new HashMap<>();
    private final ReentrantLock holdsLock = new ReentrantLock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "autogpt-history-linger");
        thread.setDaemon(true);
        return thread;
    });

    /** One recorded sharded channel: its subscription, how many local keys watch it, and a pending release. */
    private static final class Held {
        private Subscription subscription;
        private int watchers;
        private ScheduledFuture<?> release;
    }
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private volatile Subscription subscription;
    private volatile Thread writer;

    /** The classic scheme: every executor event of the replica-wide pattern is recorded. */
    public HistoryRecorder(EventBroker broker, RedisChannels channels, BusDecoder decoder, ExecutionHistory history) {
        this(broker, channels, decoder, history, AutoGptBus.CLASSIC, Duration.ZERO);
    }

    /** @param linger sharded scheme: how long an execution is recorded after its last local socket left */
    public HistoryRecorder(EventBroker broker, RedisChannels channels, BusDecoder decoder, ExecutionHistory history,
                           AutoGptBus scheme, Duration linger) {
        this.broker = broker;
        this.channels = channels;
        this.decoder = decoder;
        this.history = history;
        this.scheme = scheme;
        this.linger = linger;
    }

    public HistoryRecorder start() {
        writer = Thread.ofVirtual().name("autogpt-history").start(this::drain);
        if (scheme == AutoGptBus.CLASSIC) {
            subscription = broker.subscribePattern(channels.executionBusPattern(), this::onMessage);
        }
        return this;
    }

    /**
     * The recorded events after {@code sinceId}, as {@link ExecutionHistory#after}; in the sharded scheme a recovery
     * from the start is never complete (what was published before any replica watched was not recorded).
     */
    public ExecutionHistory.Slice after(String executionKey, String sinceId, int limit) {
        ExecutionHistory.Slice slice = history.after(executionKey, sinceId, limit);
        if (scheme == AutoGptBus.SHARDED && ExecutionHistory.nothingRecordedIsComplete(sinceId)) {
            return new ExecutionHistory.Slice(slice.entries(), false);
        }
        return slice;
    }

    /**
     * Sharded scheme: records the execution's channel while any local socket watches it, and {@code linger} after.
     * (Classic scheme: everything is recorded anyway; nothing to hold.)
     */
    @Override
    public Subscription watched(String executionKey, String redisChannel) {
        if (scheme != AutoGptBus.SHARDED) {
            return () -> { };
        }
        Subscription toOpen = null;
        holdsLock.lock();
        try {
            Held entry = held.computeIfAbsent(redisChannel, c -> new Held());
            entry.watchers++;
            if (entry.release != null) {
                entry.release.cancel(false);
                entry.release = null;
            }
            if (entry.subscription == null) {
                entry.subscription = broker.subscribeSharded(redisChannel, this::onMessage);
            }
        } finally {
            holdsLock.unlock();
        }
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                unwatched(redisChannel);
            }
        };
    }

    /** Channels recorded now (sharded scheme), lingering ones included. */
    public int recordedChannels() {
        holdsLock.lock();
        try {
            return held.size();
        } finally {
            holdsLock.unlock();
        }
    }

    private void unwatched(String redisChannel) {
        holdsLock.lock();
        try {
            Held entry = held.get(redisChannel);
            if (entry == null || --entry.watchers > 0) {
                return;
            }
            if (linger.isZero()) {
                stopRecording(redisChannel, entry);
            } else {
                entry.release = timer.schedule(() -> expire(redisChannel, entry), linger.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } finally {
            holdsLock.unlock();
        }
    }

    private void expire(String redisChannel, Held entry) {
        holdsLock.lock();
        try {
            if (entry.watchers == 0 && held.get(redisChannel) == entry) {
                stopRecording(redisChannel, entry);
            }
        } finally {
            holdsLock.unlock();
        }
    }

    /** Called with {@link #holdsLock} held. */
    private void stopRecording(String redisChannel, Held entry) {
        held.remove(redisChannel);
        if (entry.subscription != null) {
            entry.subscription.close();
        }
    }

    public void listen(String executionKey, Listener listener) {
        listeners.computeIfAbsent(executionKey, k -> ConcurrentHashMap.newKeySet()).add(listener);
    }

    public void unlisten(String executionKey, Listener listener) {
        listeners.computeIfPresent(executionKey, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void onMessage(String channel, String message) {
        Optional<IngestedEvent> event = decoder.decode(channel, message);
        if (event.isEmpty()) {
            return;
        }
        for (IngestedEvent.Delivery delivery : event.get().deliveries()) {
            String key = delivery.channelKey();
            if (key != null && key.contains("|graph_exec#")) {
                Pending pending = new Pending(key, delivery.frame().text());
                if (!queue.offer(pending)) {
                    LOG.log(Level.WARNING, "history queue full, event not recorded key=" + key);
                    notifyListeners(pending, Optional.empty()); // live delivery goes on, without a cursor
                }
            }
        }
    }

    /**
     * Appends in arrival order, pipelined: the history answers in the order it was asked, so listeners get
     * each frame with its id in order, on the history's own thread.
     */
    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            Pending next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                history.appendAsync(next.executionKey(), next.frame()).whenComplete((id, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "history append failed key=" + next.executionKey() + ": " + failure);
                    }
                    notifyListeners(next, Optional.ofNullable(failure == null ? id : null));
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "history append failed key=" + next.executionKey() + ": " + e);
                notifyListeners(next, Optional.empty());
            }
        }
    }

    private void notifyListeners(Pending pending, Optional<String> id) {
        Set<Listener> watching = listeners.get(pending.executionKey());
        if (watching != null) {
            for (Listener listener : watching) {
                listener.recorded(id, pending.frame());
            }
        }
    }

    @Override
    public void close() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        timer.shutdownNow();
        holdsLock.lock();
        try {
            held.values().forEach(entry -> {
                if (entry.subscription != null) {
                    entry.subscription.close();
                }
            });
            held.clear();
        } finally {
            holdsLock.unlock();
        }
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
        }
        history.close();
    }
}
