package io.agentserver.service.store;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The viewers of runs (live XAgent sockets), kept in the database so that every replica sees them and no lost
 * message can falsify them: whether anyone still watches a run, and what each viewer provably received. Lease
 * times are the database's.
 */
public interface ViewerStore {

    /** A viewer on {@code replicaId} starts watching, having received every step up to {@code ackedSeq}. */
    void open(String viewerId, String interactionId, String replicaId, long ackedSeq, Duration lease);

    /** Extends the leases of {@code replicaId}'s viewers that are still watching; one statement. */
    void renew(String replicaId, Duration lease);

    /** The viewer provably received every step up to {@code seq}; never moves back. */
    void acked(String viewerId, long seq);

    /**
     * The viewer left cleanly: forgotten, its progress kept as the interaction's floor
     * ({@link InteractionStore#deliveredSeq}).
     */
    void closed(String viewerId, String interactionId, long ackedSeq);

    /** The viewer vanished: kept as dropped, with its progress, where a reconnecting client resumes. */
    void dropped(String viewerId, long ackedSeq);

    /**
     * What the interaction's viewers on record, watching or dropped, provably received (by viewer id), and the
     * floor left by those that left cleanly: a client that reconnects without naming its last step resumes after
     * the least of them, so that it never skips a step.
     */
    Progress progress(String interactionId);

    /** The viewers' progress of one interaction. */
    record Progress(Map<String, Long> ackedByViewer, long floor) {
    }

    /** Forgets the interaction's dropped and expired viewers: a reconnect resumed early enough for all of them. */
    void forgetDropped(String interactionId);

    /** Of {@code interactionIds}, those with a viewer that is watching (lease live, not dropped). */
    Set<String> watched(Collection<String> interactionIds);

    /**
     * Of {@code interactionIds}, how long each has gone unwatched, by the database's clock: zero while a viewer
     * watches, else the time since the last viewer on record stopped watching (dropped, or its lease ran out).
     * Interactions with no viewer on record are absent. Because it reads when viewers left, not whether they are
     * there now, a viewer that came and went between two reads still counts.
     */
    Map<String, Duration> unwatchedFor(Collection<String> interactionIds);

    /** Deletes viewers dropped or expired longer than {@code age} ago; returns how many. */
    long purge(Duration age);
}
