package io.agentserver.service.store;

import java.time.Instant;

/**
 * One coalesced piece of a run's streamed model output, stored before step {@code beforeSeq} (the side log of
 * migration V20). {@code part} is 0, 1, 2, … per interaction; {@code kind} names the piece ({@code text},
 * {@code call}, {@code args}, {@code end}) and {@code dataJson} is its JSON object.
 */
public record PartialOutput(String interactionId, long part, long beforeSeq, String kind, String dataJson,
                            Instant createTime) {
}
