package io.agentserver.service.autogpt.history;

import io.agentserver.service.autogpt.BusDecoder;
import io.agentserver.service.autogpt.IngestedEvent;
import io.agentserver.service.autogpt.RedisChannels;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.Subscription;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every execution event of the executor channels into the {@link ExecutionHistory}, whether or not a
 * socket of this replica watches it (a client that dropped may come back to any replica), and hands each
 * recorded frame with its id to the local listeners of that execution that recover. One subscription to the
 * whole execution bus per replica, the same pattern the replica's {@code /ws} routing holds (Redis sends each message
 * once); messages are decoded by the shared {@link BusDecoder} (so nothing that ingest would refuse is recorded,
 * and a message is decoded once for both) and written in arrival order by one virtual thread, off the broker's thread, pipelined.
 */
public final class HistoryRecorder implements AutoCloseable {

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
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private volatile Subscription subscription;
    private volatile Thread writer;

    public HistoryRecorder(EventBroker broker, RedisChannels channels, BusDecoder decoder, ExecutionHistory history) {
        this.broker = broker;
        this.channels = channels;
        this.decoder = decoder;
        this.history = history;
    }

    public HistoryRecorder start() {
        writer = Thread.ofVirtual().name("autogpt-history").start(this::drain);
        subscription = broker.subscribePattern(channels.executionBusPattern(), this::onMessage);
        return this;
    }

    public ExecutionHistory history() {
        return history;
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
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
        }
        history.close();
    }
}
