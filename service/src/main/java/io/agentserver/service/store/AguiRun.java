package io.agentserver.service.store;

import java.time.Instant;

/**
 * One AG-UI run: a {@code runId} a client sent, on {@code threadId}, viewing the stored run {@code interactionId}
 * from its step {@code fromSeq} on (0 for a new run; the step after the interrupt it resumed).
 */
public record AguiRun(String runId, String threadId, String interactionId, String userId, String agent,
                      long fromSeq, Instant createTime) {
}
