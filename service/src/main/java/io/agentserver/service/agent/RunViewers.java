package io.agentserver.service.agent;

import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.ViewerStore;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This replica's viewers of runs (live XAgent sockets), kept in the database through {@link ViewerStore}: every
 * replica sees who watches a run, and a lost message can neither make a watched run look abandoned nor keep an
 * abandoned one going. Each viewer holds a lease its replica renews (a crashed replica's viewers expire) and the
 * seq up to which its client provably received the log; progress is written twice a second, and exactly when a
 * viewer vanishes, since that is where its client resumes.
 */
public final class RunViewers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunViewers.class.getName());
    /** Dropped viewers are kept this long for a reconnect; then forgotten. */
    private static final Duration KEEP_DROPPED = Duration.ofDays(1);
    /** How often progress is written: a reconnect on another replica may repeat at most this much. */
    private static final Duration FLUSH_EVERY = Duration.ofMillis(500);

    private final ViewerStore store;
    private final String replicaId;
    private final Duration lease;
    private final Map<String, Viewer> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-viewers").factory());

    public RunViewers(ViewerStore store, String replicaId, Duration lease) {
        this.store = store;
        this.replicaId = replicaId;
        this.lease = lease;
        long renewEvery = Math.max(1, lease.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }

    /**
     * Where a client that reconnects to {@code interactionId} without naming its last step resumes, so that it
     * never skips a step any viewer did not provably receive; the dropped viewers it resumes for are forgotten.
     */
    public long resumeFor(String interactionId) {
        ViewerStore.Progress progress = store.progress(interactionId);
        long least = Long.MAX_VALUE;
        for (Map.Entry<String, Long> viewer : progress.ackedByViewer().entrySet()) {
            Viewer local = open.get(viewer.getKey());
            // this replica's own viewers know their progress better than their last flush
            least = Math.min(least, local == null ? viewer.getValue() : Math.max(local.acked, viewer.getValue()));
        }
        store.forgetDropped(interactionId);
        return (least == Long.MAX_VALUE ? progress.floor() : least) + 1;
    }

    /** A viewer starts watching, having received every step before {@code fromSeq}. */
    public Viewer open(String interactionId, long fromSeq) {
        Viewer viewer = new Viewer(UUID.randomUUID().toString().replace("-", ""), interactionId, fromSeq - 1);
        store.open(viewer.id, interactionId, replicaId, viewer.acked, lease);
        open.put(viewer.id, viewer);
        return viewer;
    }

    /** Whether anyone (on any replica) watches each of {@code interactionIds}. */
    public Set<String> watched(Collection<String> interactionIds) {
        return store.watched(interactionIds);
    }

    /** How long each of {@code interactionIds} has gone unwatched on every replica ({@link ViewerStore#unwatchedFor}). */
    public Map<String, Duration> unwatchedFor(Collection<String> interactionIds) {
        return store.unwatchedFor(interactionIds);
    }

    private void renew() {
        try {
            store.renew(replicaId, lease);
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "viewer renewal failed replica=" + replicaId + ": " + e.getMessage());
        }
    }

    private void flush() {
        try {
            for (Viewer viewer : open.values()) {
                viewer.flush();
            }
        } catch (StoreException e) {
            LOG.log(Level.DEBUG, "viewer progress not written replica=" + replicaId + ": " + e.getMessage());
        }
    }

    private void purge() {
        try {
            store.purge(KEEP_DROPPED);
        } catch (StoreException e) {
            LOG.log(Level.DEBUG, "viewer purge failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One viewer of a run on this replica. */
    public final class Viewer {
        private final String id;
        private final String interactionId;
        private volatile long acked;
        private volatile long written;

        private Viewer(String id, String interactionId, long acked) {
            this.id = id;
            this.interactionId = interactionId;
            this.acked = acked;
            this.written = acked;
        }

        /** The client provably received every step up to {@code seq}; stored on the next renewal. */
        public void acked(long seq) {
            if (seq > acked) {
                acked = seq;
            }
        }

        public long ackedSeq() {
            return acked;
        }

        /** The client left on purpose: forgotten, its progress kept as the interaction's floor. */
        public void closed() {
            open.remove(id);
            store.closed(id, interactionId, acked);
        }

        /** The client vanished: kept as dropped with its exact progress, where its reconnect resumes. */
        public void dropped() {
            open.remove(id);
            store.dropped(id, acked);
        }

        private void flush() {
            long now = acked;
            if (now > written) {
                store.acked(id, now);
                written = now;
            }
        }
    }
}
