package io.agentserver.service.store;

import java.time.Instant;

/**
 * One entry of an interaction's step log. {@code seq} is 0, 1, 2, … per interaction and is the
 * delivery cursor of every view. {@code dataJson} is the JSON value sent as the frame's {@code data};
 * {@code workspaceFilesJson} the JSON array sent as {@code workspace_file_list}. {@code humanDataJson}
 * is the human reply to this step, or null while none arrived.
 */
public record Step(String interactionId,
                   long seq,
                   String nodeId,
                   String status,
                   String current,
                   String dataJson,
                   String workspaceFilesJson,
                   boolean askForHumanHelp,
                   String humanDataJson,
                   Instant createTime) {

    public boolean answered() {
        return humanDataJson != null;
    }
}
