package io.agentserver.service.store;

import io.helidon.dbclient.DbRow;

import java.util.Optional;

/** {@link AguiRunStore} on the service database (migration V20). */
final class JdbcAguiRunStore implements AguiRunStore {

    private static final String COLUMNS = "run_id, thread_id, interaction_id, user_id, agent, from_seq, create_time";

    private final Sql sql;

    JdbcAguiRunStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean insert(AguiRun run) {
        try {
            sql.update("add AG-UI run " + run.runId(), "INSERT INTO agui_runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    run.runId(), run.threadId(), run.interactionId(), run.userId(), run.agent(), run.fromSeq(),
                    Sql.at(run.createTime()));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public Optional<AguiRun> find(String runId) {
        return sql.first("find AG-UI run " + runId, "SELECT " + COLUMNS + " FROM agui_runs WHERE run_id = ?",
                JdbcAguiRunStore::run, runId);
    }

    @Override
    public Optional<AguiRun> latestOfThread(String userId, String threadId) {
        return sql.first("latest AG-UI run of thread " + threadId,
                "SELECT " + COLUMNS + " FROM agui_runs WHERE thread_id = ? AND user_id = ? "
                        + "ORDER BY create_time DESC, from_seq DESC LIMIT 1",
                JdbcAguiRunStore::run, threadId, userId);
    }

    private static AguiRun run(DbRow row) {
        return new AguiRun(Sql.stringAt(row, 1), Sql.stringAt(row, 2), Sql.stringAt(row, 3), Sql.stringAt(row, 4),
                Sql.stringAt(row, 5), Sql.longAt(row, 6), Sql.instantAt(row, 7));
    }
}
