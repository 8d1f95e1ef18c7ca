package io.agentserver.service.store;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

/**
 * {@link WorkspaceStore} on the {@code workspace_files} and {@code uploads} tables. Contents are
 * {@code BYTEA} on both databases (H2 reads it as {@code BINARY VARYING}), so they come back as plain
 * byte arrays rather than LOB handles that die with the connection.
 */
public final class JdbcWorkspaceStore implements WorkspaceStore {

    private final Sql sql;
    private final Clock clock;

    JdbcWorkspaceStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Updates, else inserts; an insert that loses a race to another writer updates again. (H2 has no
     * {@code ON CONFLICT}, PostgreSQL 14 no {@code MERGE}.)
     */
    @Override
    public void put(String interactionId, String name, byte[] content) {
        String what = "put workspace file of " + interactionId;
        if (replace(what, interactionId, name, content)) {
            return;
        }
        try {
            sql.update(what,
                    "INSERT INTO workspace_files (interaction_id, name, content, update_time) VALUES (?, ?, ?, ?)",
                    interactionId, name, content, Sql.at(clock.instant()));
        } catch (DuplicateKeyException e) {
            replace(what, interactionId, name, content);
        }
    }

    @Override
    public boolean putAsLeaseHolder(String interactionId, String name, byte[] content, String ownerId) {
        String what = "put workspace file of " + interactionId + " as " + ownerId;
        String holder = " AND EXISTS (SELECT 1 FROM interactions WHERE interactions.interaction_id = ? "
                + "AND lease_owner = ? AND status IN (?, ?))";
        Object[] leaseParams = {interactionId, ownerId, InteractionStatus.RUNNING.wire(),
                InteractionStatus.ASK_FOR_HUMAN_HELP.wire()};
        if (sql.update(what, "UPDATE workspace_files SET content = ?, update_time = ? WHERE interaction_id = ? "
                + "AND name = ?" + holder, concat(new Object[] {content, Sql.at(clock.instant()), interactionId, name},
                leaseParams)) > 0) {
            return true;
        }
        try {
            return sql.update(what, "INSERT INTO workspace_files (interaction_id, name, content, update_time) "
                            + "SELECT ?, ?, ?, ? FROM interactions WHERE interaction_id = ? AND lease_owner = ? "
                            + "AND status IN (?, ?)",
                    interactionId, name, content, Sql.at(clock.instant()), interactionId, ownerId,
                    InteractionStatus.RUNNING.wire(), InteractionStatus.ASK_FOR_HUMAN_HELP.wire()) > 0;
        } catch (DuplicateKeyException e) {
            return putAsLeaseHolder(interactionId, name, content, ownerId);
        }
    }

    private static Object[] concat(Object[] first, Object[] second) {
        Object[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private boolean replace(String what, String interactionId, String name, byte[] content) {
        return sql.update(what,
                "UPDATE workspace_files SET content = ?, update_time = ? WHERE interaction_id = ? AND name = ?",
                content, Sql.at(clock.instant()), interactionId, name) > 0;
    }

    @Override
    public Optional<WorkspaceFile> get(String interactionId, String name) {
        return sql.first("get workspace file of " + interactionId,
                "SELECT interaction_id, name, content, update_time FROM workspace_files "
                        + "WHERE interaction_id = ? AND name = ?",
                JdbcWorkspaceStore::file, interactionId, name);
    }

    /** Sorted in Java, so that the order does not depend on the database's collation. */
    @Override
    public List<String> list(String interactionId) {
        return sql.list("list workspace of " + interactionId,
                        "SELECT name FROM workspace_files WHERE interaction_id = ?",
                        row -> Sql.stringAt(row, 1), interactionId)
                .stream().sorted().toList();
    }

    @Override
    public void saveUpload(Upload upload) {
        sql.update("save upload " + upload.uuid(),
                "INSERT INTO uploads (uuid, user_id, name, content, create_time) VALUES (?, ?, ?, ?, ?)",
                upload.uuid(), upload.userId(), upload.name(), upload.content(),
                Sql.at(upload.createTime() == null ? clock.instant() : upload.createTime()));
    }

    @Override
    public Optional<Upload> findUpload(String uuid) {
        return sql.first("find upload " + uuid,
                "SELECT uuid, user_id, name, content, create_time FROM uploads WHERE uuid = ?",
                row -> new Upload(Sql.stringAt(row, 1), Sql.stringAt(row, 2), Sql.stringAt(row, 3),
                        Sql.bytesAt(row, 4), Sql.instantAt(row, 5)),
                uuid);
    }

    private static WorkspaceFile file(DbRow row) {
        return new WorkspaceFile(Sql.stringAt(row, 1), Sql.stringAt(row, 2), Sql.bytesAt(row, 3), Sql.instantAt(row, 4));
    }
}
