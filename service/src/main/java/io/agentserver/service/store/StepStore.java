package io.agentserver.service.store;

import java.util.List;
import java.util.Optional;

/** The append-only step log of every interaction. */
public interface StepStore {

    /**
     * Appends a step. Fails with {@link DuplicateKeyException} when that (interaction, seq) or node_id
     * exists, which is how two writers of one log find out about each other.
     */
    void append(Step step);

    /**
     * Appends a step only while {@code ownerId} holds the interaction's run lease and the interaction is active:
     * a run that lost its lease (fenced) never writes after the replica that took over ended it. Returns false,
     * appending nothing, otherwise. Fails like {@link #append} on a duplicate key.
     */
    boolean appendAsLeaseHolder(Step step, String ownerId);

    /**
     * At most {@code maxSteps} steps of the interaction with {@code seq >= fromSeq}, in sequence order, stopping
     * early once they hold {@code maxBytes} of data (always at least one step when there is one): readers page
     * through a log, never load it whole.
     */
    List<Step> page(String interactionId, long fromSeq, int maxSteps, long maxBytes);

    Optional<Step> findByNodeId(String nodeId);

    /** The next free sequence number of the interaction (0 for an empty log). */
    long nextSeq(String interactionId);

    /**
     * Records the human reply to the step with this node id if it asked for one and has none yet.
     * Returns false when the step does not exist, did not ask, or was answered already.
     */
    boolean recordHumanReply(String nodeId, String humanDataJson, String humanFileListJson);
}
