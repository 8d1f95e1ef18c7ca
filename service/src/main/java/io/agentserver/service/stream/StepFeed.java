package io.agentserver.service.stream;

import io.agentserver.service.agent.InteractionEvent;
import io.agentserver.service.agent.InteractionEvents;
import io.agentserver.service.agent.LocalEventFeed;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This replica's source of live steps for every {@link StepCursor}. Per watched interaction it holds one broker
 * subscription (other replicas' announcements) and one listener on the {@link LocalEventFeed} (this replica's runs,
 * handed over on the appending thread), shared by all the interaction's cursors and released after the last one
 * closes. A broker copy of a step every cursor already has is dropped by its seq before it is decoded; a message is
 * decoded once for all cursors. On its one timer it re-reads, in one query, the heads of the interactions that
 * heard nothing for half a recheck interval, and pokes the cursors the store shows behind: a lost announcement
 * costs at most one and a half intervals.
 */
public final class StepFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StepFeed.class.getName());
    /** Heads read in one query at most. */
    private static final int HEADS_PER_QUERY = 500;

    private final Stores stores;
    private final EventBroker broker;
    private final LocalEventFeed local;
    private final StreamSettings settings;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("step-feed").factory());

    public StepFeed(Stores stores, EventBroker broker, LocalEventFeed local, StreamSettings settings) {
        this.stores = stores;
        this.broker = broker;
        this.local = local;
        this.settings = settings;
        long millis = settings.recheck().toMillis();
        timer.scheduleWithFixedDelay(this::recheckQuiet, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a cursor on {@code interactionId} at {@code fromSeq}: it hears the interaction's live steps first, then
     * reads the store from there, so that no step falls between the two. Blocks until the broker confirmed the
     * subscription (the first cursor of the interaction on this replica): call it from the view's own executor.
     *
     * @param work the view's executor: store reads run there, one at a time
     */
    public StepCursor open(String interactionId, long fromSeq, StepSink sink, Executor work) {
        StepCursor cursor = new StepCursor(interactionId, fromSeq, sink, work, this);
        join(interactionId, cursor);
        cursor.start();
        return cursor;
    }

    /**
     * Opens a cursor that starts after the last step stored when it first reads the store, with the status it
     * reads then as already shown: only what follows reaches the sink (a live view that replays nothing).
     */
    public StepCursor openAtHead(String interactionId, StepSink sink, Executor work) {
        return open(interactionId, StepCursor.AT_HEAD, sink, work);
    }

    StreamSettings settings() {
        return settings;
    }

    Optional<LogHead> head(String interactionId) {
        return stores.interactions().head(interactionId);
    }

    List<Step> page(String interactionId, long fromSeq) {
        return stores.steps().page(interactionId, fromSeq, settings.pageSteps(), settings.pageBytes());
    }

    void later(Duration delay, Runnable task) {
        if (!timer.isShutdown()) {
            timer.schedule(() -> Thread.ofVirtual().start(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Interactions this replica's cursors watch (for tests and diagnostics). */
    public int watchedInteractions() {
        return watched.size();
    }

    private void join(String interactionId, StepCursor cursor) {
        while (true) {
            Watched entry = watched.computeIfAbsent(interactionId, Watched::new);
            // A lock, not a monitor: the first cursor waits here for the broker.
            entry.lock.lock();
            try {
                if (entry.retired) {
                    continue;
                }
                entry.cursors.add(cursor);
                if (entry.brokerSubscription == null) {
                    entry.subscribe();
                }
                return;
            } finally {
                entry.lock.unlock();
            }
        }
    }

    /** Never blocks: the last cursor's leave releases the subscriptions on a thread of their own. */
    void release(StepCursor cursor) {
        Watched entry = watched.get(cursor.interactionId());
        if (entry == null || !entry.cursors.remove(cursor)) {
            return;
        }
        Thread.ofVirtual().name("step-feed-leave").start(() -> leave(entry));
    }

    private void leave(Watched entry) {
        List<Subscription> release = new ArrayList<>(2);
        entry.lock.lock();
        try {
            if (entry.retired || !entry.cursors.isEmpty()) {
                return;
            }
            entry.retired = true;
            watched.remove(entry.interactionId, entry);
            release.add(entry.localSubscription);
            release.add(entry.brokerSubscription);
        } finally {
            entry.lock.unlock();
        }
        for (Subscription subscription : release) {
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    /** On the timer: one head query for every quiet interaction, then a poke for each cursor behind. */
    private void recheckQuiet() {
        long now = System.nanoTime();
        long quietFor = settings.recheck().toNanos() / 2;
        List<Watched> quiet = watched.values().stream().filter(w -> now - w.lastNotice >= quietFor).toList();
        if (quiet.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("step-feed-recheck").start(() -> {
            for (int from = 0; from < quiet.size(); from += HEADS_PER_QUERY) {
                List<Watched> chunk = quiet.subList(from, Math.min(quiet.size(), from + HEADS_PER_QUERY));
                try {
                    Map<String, LogHead> heads = stores.interactions()
                            .heads(chunk.stream().map(w -> w.interactionId).toList());
                    for (Watched entry : chunk) {
                        LogHead head = heads.get(entry.interactionId);
                        for (StepCursor cursor : entry.cursors) {
                            if (head == null || cursor.behind(head)) {
                                cursor.poke();
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "step log recheck failed: " + e.getMessage());
                }
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The cursors of one interaction on this replica and their shared subscriptions. */
    private final class Watched implements MessageListener {
        private final String interactionId;
        private final List<StepCursor> cursors = new CopyOnWriteArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private Subscription brokerSubscription;
        private Subscription localSubscription;
        private boolean retired;
        private volatile long lastNotice = System.nanoTime();

        private Watched(String interactionId) {
            this.interactionId = interactionId;
        }

        /** Under the lock, once: local first, so that no step of this replica's runs falls between the two. */
        private void subscribe() {
            localSubscription = local.subscribe(interactionId, this::dispatch);
            brokerSubscription = broker.subscribe(InteractionEvents.eventsTopic(interactionId), this);
        }

        @Override
        public void onMessage(String channel, String message) {
            lastNotice = System.nanoTime();
            OptionalLong seq = InteractionEvents.stepSeq(message);
            if (seq.isPresent() && everyCursorPast(seq.getAsLong())) {
                return; // the local copy, or a retried PUBLISH, got there first
            }
            InteractionEvents.decode(message).ifPresent(this::dispatch);
        }

        /** Announcements published while the broker was away are gone; the store has the steps. */
        @Override
        public void resubscribed() {
            cursors.forEach(StepCursor::poke);
        }

        private boolean everyCursorPast(long seq) {
            for (StepCursor cursor : cursors) {
                if (cursor.next() <= seq) {
                    return false;
                }
            }
            return true;
        }

        private void dispatch(InteractionEvent event) {
            lastNotice = System.nanoTime();
            switch (event) {
                case InteractionEvent.StepAppended(Step step) -> cursors.forEach(c -> c.live(step));
                case InteractionEvent.StatusChanged changed ->
                        cursors.forEach(c -> c.liveStatus(changed.status(), changed.afterSeq()));
            }
        }
    }
}
