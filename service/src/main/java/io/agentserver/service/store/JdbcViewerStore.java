package io.agentserver.service.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@link ViewerStore} on the {@code run_viewers} table. */
public final class JdbcViewerStore implements ViewerStore {

    private static final String DB_NOW_PLUS_MILLIS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    private final Sql sql;
    private final InteractionStore interactions;

    JdbcViewerStore(Sql sql, InteractionStore interactions) {
        this.sql = sql;
        this.interactions = interactions;
    }

    @Override
    public void open(String viewerId, String interactionId, String replicaId, long ackedSeq, Duration lease) {
        sql.update("open viewer " + viewerId + " of " + interactionId,
                "INSERT INTO run_viewers (viewer_id, interaction_id, replica_id, acked_seq, lease_until, dropped) "
                        + "VALUES (?, ?, ?, ?, " + DB_NOW_PLUS_MILLIS + ", FALSE)",
                viewerId, interactionId, replicaId, ackedSeq, lease.toMillis());
    }

    @Override
    public void renew(String replicaId, Duration lease) {
        sql.update("renew viewers of " + replicaId,
                "UPDATE run_viewers SET lease_until = " + DB_NOW_PLUS_MILLIS
                        + " WHERE replica_id = ? AND dropped = FALSE",
                lease.toMillis(), replicaId);
    }

    @Override
    public void acked(String viewerId, long seq) {
        sql.update("ack viewer " + viewerId,
                "UPDATE run_viewers SET acked_seq = ? WHERE viewer_id = ? AND acked_seq < ?", seq, viewerId, seq);
    }

    @Override
    public void closed(String viewerId, String interactionId, long ackedSeq) {
        interactions.updateDeliveredSeq(interactionId, ackedSeq);
        sql.update("close viewer " + viewerId, "DELETE FROM run_viewers WHERE viewer_id = ?", viewerId);
    }

    @Override
    public void dropped(String viewerId, long ackedSeq) {
        sql.update("drop viewer " + viewerId,
                "UPDATE run_viewers SET dropped = TRUE, lease_until = CURRENT_TIMESTAMP, "
                        + "acked_seq = CASE WHEN acked_seq < ? THEN ? ELSE acked_seq END WHERE viewer_id = ?",
                ackedSeq, ackedSeq, viewerId);
    }

    @Override
    public Progress progress(String interactionId) {
        Map<String, Long> acked = new HashMap<>();
        sql.list("read viewers of " + interactionId,
                "SELECT viewer_id, acked_seq FROM run_viewers WHERE interaction_id = ?",
                row -> acked.put(Sql.stringAt(row, 1), Sql.longAt(row, 2)), interactionId);
        return new Progress(acked, interactions.deliveredSeq(interactionId));
    }

    @Override
    public void forgetDropped(String interactionId) {
        sql.update("forget dropped viewers of " + interactionId,
                "DELETE FROM run_viewers WHERE interaction_id = ? AND (dropped = TRUE OR lease_until < CURRENT_TIMESTAMP)",
                interactionId);
    }

    @Override
    public Set<String> watched(Collection<String> interactionIds) {
        if (interactionIds.isEmpty()) {
            return Set.of();
        }
        List<Object> params = new ArrayList<>(interactionIds);
        return Set.copyOf(sql.list("find watched runs",
                "SELECT DISTINCT interaction_id FROM run_viewers WHERE interaction_id IN ("
                        + String.join(", ", Collections.nCopies(interactionIds.size(), "?"))
                        + ") AND dropped = FALSE AND lease_until > CURRENT_TIMESTAMP",
                row -> Sql.stringAt(row, 1), params.toArray()));
    }

    @Override
    public Map<String, Duration> unwatchedFor(Collection<String> interactionIds) {
        if (interactionIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Duration> unwatched = new HashMap<>();
        // a dropped viewer's lease_until is when it dropped; a watching one's is in the future unless it expired
        sql.list("find unwatched runs",
                "SELECT interaction_id, MAX(CASE WHEN dropped = FALSE AND lease_until > CURRENT_TIMESTAMP THEN 1 ELSE 0"
                        + " END), MAX(lease_until), CURRENT_TIMESTAMP FROM run_viewers WHERE interaction_id IN ("
                        + String.join(", ", Collections.nCopies(interactionIds.size(), "?"))
                        + ") GROUP BY interaction_id",
                row -> {
                    Duration since = Sql.longAt(row, 2) > 0 ? Duration.ZERO
                            : Duration.between(Sql.instantAt(row, 3), Sql.instantAt(row, 4));
                    return unwatched.put(Sql.stringAt(row, 1), since.isNegative() ? Duration.ZERO : since);
                }, new ArrayList<Object>(interactionIds).toArray());
        return unwatched;
    }

    @Override
    public long purge(Duration age) {
        return sql.update("purge old viewers",
                "DELETE FROM run_viewers WHERE lease_until < CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND",
                age.toMillis());
    }
}
