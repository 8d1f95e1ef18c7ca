package io.agentserver.service.store;

import java.time.Instant;

/** A file a user uploaded before starting a run; referenced by uuid in the start frame's file list. */
public record Upload(String uuid, String userId, String name, byte[] content, Instant createTime) {
}
