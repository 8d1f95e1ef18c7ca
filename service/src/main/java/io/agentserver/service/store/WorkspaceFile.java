package io.agentserver.service.store;

import java.time.Instant;

/** A file in an interaction's workspace, kept in the database so that every replica can serve it. */
public record WorkspaceFile(String interactionId, String name, byte[] content, Instant updateTime) {
}
