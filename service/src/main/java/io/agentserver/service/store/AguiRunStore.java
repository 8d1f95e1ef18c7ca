package io.agentserver.service.store;

import java.util.Optional;

/** The AG-UI runs (migration V20): which stored run each runId views, and from where. */
public interface AguiRunStore {

    /** Stores {@code run}; false when its runId was used before (by anyone). */
    boolean insert(AguiRun run);

    Optional<AguiRun> find(String runId);

    /** The latest run of {@code threadId} for {@code userId}, if any. */
    Optional<AguiRun> latestOfThread(String userId, String threadId);
}
