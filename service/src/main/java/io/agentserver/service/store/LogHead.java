package io.agentserver.service.store;

/**
 * Where an interaction's log stands, read in one statement: its status and the seq of its last step (-1 before the
 * first). The status was set after every step up to {@code lastSeq} was stored (runs store a step, then change the
 * status), so a reader that has delivered up to {@code lastSeq} may show the status next.
 */
public record LogHead(InteractionStatus status, long lastSeq) {
}
