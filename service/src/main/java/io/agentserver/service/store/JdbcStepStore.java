package io.agentserver.service.store;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

/**
 * {@link StepStore} on the {@code steps} table. The primary key (interaction_id, seq) and the unique
 * node_id make concurrent writers of one log fail with {@link DuplicateKeyException} instead of
 * interleaving.
 */
public final class JdbcStepStore implements StepStore {

    private static final String COLUMNS = "interaction_id, seq, node_id, status, current_task, data, workspace_files, "
            + "ask_for_human_help, human_data, create_time";

    private final Sql sql;
    private final Clock clock;

    JdbcStepStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public void append(Step step) {
        sql.update("append step " + step.seq() + " of " + step.interactionId(),
                "INSERT INTO steps (" + COLUMNS + ", is_human, is_receive) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                step.interactionId(), step.seq(), step.nodeId(), step.status(), step.current(), step.dataJson(),
                step.workspaceFilesJson(), step.askForHumanHelp(), step.humanDataJson(),
                Sql.at(step.createTime() == null ? clock.instant() : step.createTime()),
                false, step.humanDataJson() != null);
    }

    @Override
    public boolean appendAsLeaseHolder(Step step, String ownerId) {
        return sql.update("append step " + step.seq() + " of " + step.interactionId() + " as " + ownerId,
                "INSERT INTO steps (" + COLUMNS + ", is_human, is_receive) "
                        + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM interactions "
                        + "WHERE interaction_id = ? AND lease_owner = ? AND status IN (?, ?)",
                step.interactionId(), step.seq(), step.nodeId(), step.status(), step.current(), step.dataJson(),
                step.workspaceFilesJson(), step.askForHumanHelp(), step.humanDataJson(),
                Sql.at(step.createTime() == null ? clock.instant() : step.createTime()),
                false, step.humanDataJson() != null,
                step.interactionId(), ownerId,
                InteractionStatus.RUNNING.wire(), InteractionStatus.ASK_FOR_HUMAN_HELP.wire()) > 0;
    }

    @Override
    public List<Step> page(String interactionId, long fromSeq, int maxSteps, long maxBytes) {
        if (maxSteps < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxSteps and maxBytes must be positive");
        }
        long[] bytes = {0};
        return sql.listWhile("page steps of " + interactionId,
                "SELECT " + COLUMNS + " FROM steps WHERE interaction_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
                JdbcStepStore::step, step -> {
                    boolean room = bytes[0] < maxBytes;
                    bytes[0] += size(step);
                    return room;
                }, interactionId, fromSeq, maxSteps);
    }

    /** What a step holds in memory, about: its data, workspace list and reply as characters. */
    static long size(Step step) {
        return length(step.dataJson()) + length(step.workspaceFilesJson()) + length(step.humanDataJson()) + 128;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    @Override
    public Optional<Step> findByNodeId(String nodeId) {
        return sql.first("find step " + nodeId, "SELECT " + COLUMNS + " FROM steps WHERE node_id = ?",
                JdbcStepStore::step, nodeId);
    }

    @Override
    public long nextSeq(String interactionId) {
        return sql.number("next seq of " + interactionId,
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM steps WHERE interaction_id = ?", interactionId);
    }

    @Override
    public boolean recordHumanReply(String nodeId, String humanDataJson, String humanFileListJson) {
        Objects.requireNonNull(humanDataJson, "humanDataJson");
        return sql.update("record human reply to " + nodeId,
                "UPDATE steps SET human_data = ?, human_file_list = ?, is_receive = TRUE "
                        + "WHERE node_id = ? AND ask_for_human_help = TRUE AND human_data IS NULL",
                humanDataJson, humanFileListJson, nodeId) == 1;
    }

    private static Step step(DbRow row) {
        return new Step(Sql.stringAt(row, 1), Sql.longAt(row, 2), Sql.stringAt(row, 3), Sql.stringAt(row, 4),
                Sql.stringAt(row, 5), Sql.stringAt(row, 6), Sql.stringAt(row, 7), Sql.booleanAt(row, 8),
                Sql.stringAt(row, 9), Sql.instantAt(row, 10));
    }
}
