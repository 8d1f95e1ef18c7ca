package io.agentserver.service.store;

import java.util.List;
import java.util.Optional;

/** Workspace files of interactions and the uploads users make before a run. */
public interface WorkspaceStore {

    /** Creates or replaces the file. */
    void put(String interactionId, String name, byte[] content);

    /**
     * Creates or replaces the file only while {@code ownerId} holds the interaction's run lease and the run is
     * active; false, writing nothing, otherwise (a fenced run never writes after another replica took over).
     */
    boolean putAsLeaseHolder(String interactionId, String name, byte[] content, String ownerId);

    Optional<WorkspaceFile> get(String interactionId, String name);

    /** File names of the interaction's workspace, sorted. */
    List<String> list(String interactionId);

    void saveUpload(Upload upload);

    Optional<Upload> findUpload(String uuid);
}
