package io.agentserver.service.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface InteractionStore {

    void insert(Interaction interaction);

    Optional<Interaction> find(String interactionId);

    /** The user's newest interaction still in {@code ready}, which init_conv_env hands out again. */
    Optional<Interaction> findReady(String userId);

    /** The user's interactions, newest first, excluding deleted ones. {@code page} starts at 1. */
    Page<Interaction> listByUser(String userId, int page, int pageSize);

    /** The user's interactions in {@code status}, newest first, excluding deleted ones. {@code page} starts at 1. */
    Page<Interaction> listByUser(String userId, InteractionStatus status, int page, int pageSize);

    /** Interactions their owners shared, newest first, excluding deleted ones. {@code page} starts at 1. */
    Page<Interaction> listShared(int page, int pageSize);

    /** True when the user has an interaction in an active state (running or waiting for a human). */
    boolean hasActive(String userId);

    /** Sets status and message and touches update_time. */
    void updateStatus(String interactionId, InteractionStatus status, String message);

    /**
     * Sets status and message only if the current status is one of {@code expected}; returns whether it
     * changed. This is how concurrent replicas agree on a transition.
     */
    boolean transition(String interactionId, Collection<InteractionStatus> expected,
                       InteractionStatus status, String message);

    /**
     * Moves the interaction as {@link #transition} does, but only while {@code ownerId} holds its run lease: a run
     * that lost its lease never changes the status of an interaction another replica took over.
     */
    boolean transitionAsLeaseHolder(String interactionId, Collection<InteractionStatus> expected,
                                    InteractionStatus status, String message, String ownerId);

    /** The interaction's status and the seq of its last step (-1: none), read together. */
    Optional<LogHead> head(String interactionId);

    /** {@link #head} of each of {@code interactionIds} that exists, in one query. */
    Map<String, LogHead> heads(Collection<String> interactionIds);

    void updateConfig(String interactionId, String agent, String mode, String fileListJson);

    void updateDescription(String interactionId, String description);

    void updateCurrentStep(String interactionId, String currentStep);

    void setRecorderRootDir(String interactionId, String recorderRootDir);

    void markDeleted(String interactionId);

    void markShared(String interactionId);

    /**
     * Takes the run lease of {@code interactionId} for {@code ownerId}, until the database's now plus
     * {@code duration}, and clears any stop asked of an earlier run. Succeeds only when nobody holds it or the
     * holder's lease ended; never for a holder that asks again (a second start of a live run must fail).
     */
    boolean claimLease(String interactionId, String ownerId, Duration duration);

    /** Extends the lease to the database's now plus {@code duration}; false when {@code ownerId} does not hold it. */
    boolean renewLease(String interactionId, String ownerId, Duration duration);

    void releaseLease(String interactionId, String ownerId);

    /**
     * Interactions in an active state whose lease ended by the database's clock, or that have no lease at
     * all: no replica runs them.
     */
    List<Interaction> findExpiredActive();

    /** Records a stop for the run that holds the lease; false when no run holds it. */
    boolean requestStop(String interactionId);

    /** Interactions leased by {@code ownerId} whose stop was requested. */
    Set<String> stopsRequested(String ownerId);

    /** The replica that holds the lease of the interaction, if any. */
    Optional<String> leaseOwner(String interactionId);

    /**
     * The seq of the last step the interaction's viewers that left cleanly had provably received (the floor a
     * reconnect resumes from when no viewer is on record); -1 before the first.
     */
    long deliveredSeq(String interactionId);

    /** Moves that floor forward to {@code seq}; never backwards. */
    void updateDeliveredSeq(String interactionId, long seq);
}
