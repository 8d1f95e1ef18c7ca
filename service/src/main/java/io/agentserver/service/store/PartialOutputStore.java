package io.agentserver.service.store;

import java.util.List;

/** The side log of streamed model output ({@link PartialOutput}); only views that show partial output read it. */
public interface PartialOutputStore {

    /**
     * Stores {@code parts} (dense, in order) as the holder of the interaction's run lease, in one transaction.
     *
     * @return false when {@code ownerId} no longer holds the lease or the run ended: nothing was stored
     */
    boolean appendAsLeaseHolder(List<PartialOutput> parts, String ownerId);

    /** The parts from {@code fromPart} on whose step is at most {@code throughSeq}, in order, at most {@code limit}. */
    List<PartialOutput> page(String interactionId, long fromPart, long throughSeq, int limit);

    /** The number of parts stored so far (the next part's number). */
    long nextPart(String interactionId);
}
