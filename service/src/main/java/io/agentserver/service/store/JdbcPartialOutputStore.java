package io.agentserver.service.store;

import java.util.List;

/** {@link PartialOutputStore} on the service database (migration V20); the same SQL on H2 and PostgreSQL. */
final class JdbcPartialOutputStore implements PartialOutputStore {

    private static final String COLUMNS = "interaction_id, part, before_seq, kind, data, create_time";

    private final Sql sql;

    JdbcPartialOutputStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean appendAsLeaseHolder(List<PartialOutput> parts, String ownerId) {
        if (parts.isEmpty()) {
            return true;
        }
        String id = parts.getFirst().interactionId();
        try {
            return sql.inTransaction("append partial output of " + id + " as " + ownerId, tx -> {
            for (PartialOutput part : parts) {
                long added = tx.createDmlStatement("INSERT INTO partial_output (" + COLUMNS + ") "
                                + "SELECT ?, ?, ?, ?, ?, ? FROM interactions "
                                + "WHERE interaction_id = ? AND lease_owner = ? AND status IN (?, ?)")
                        .params(part.interactionId(), part.part(), part.beforeSeq(), part.kind(), part.dataJson(),
                                Sql.at(part.createTime()), part.interactionId(), ownerId,
                                InteractionStatus.RUNNING.wire(), InteractionStatus.ASK_FOR_HUMAN_HELP.wire())
                        .execute();
                if (added == 0) {
                    throw new LeaseMoved();
                }
            }
            return true;
            });
        } catch (LeaseMoved e) {
            return false;
        }
    }

    @Override
    public List<PartialOutput> page(String interactionId, long fromPart, long throughSeq, int limit) {
        return sql.list("page partial output of " + interactionId,
                "SELECT " + COLUMNS + " FROM partial_output WHERE interaction_id = ? AND part >= ? AND before_seq <= ? "
                        + "ORDER BY part LIMIT ?",
                row -> new PartialOutput(Sql.stringAt(row, 1), Sql.longAt(row, 2), Sql.longAt(row, 3),
                        Sql.stringAt(row, 4), Sql.stringAt(row, 5), Sql.instantAt(row, 6)),
                interactionId, fromPart, throughSeq, limit);
    }

    @Override
    public long nextPart(String interactionId) {
        return sql.first("next part of " + interactionId,
                "SELECT MAX(part) FROM partial_output WHERE interaction_id = ?",
                row -> row.column(1).get(Object.class) == null ? 0L : Sql.longAt(row, 1) + 1, interactionId)
                .orElse(0L);
    }

    /** The lease moved on mid-batch: the transaction rolls back. */
    private static final class LeaseMoved extends RuntimeException {
        LeaseMoved() {
            super(null, null, false, false);
        }
    }
}
