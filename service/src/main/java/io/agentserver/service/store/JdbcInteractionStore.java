package io.agentserver.service.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.helidon.dbclient.DbRow;

/**
 * {@link InteractionStore} on the {@code interactions} table. Status changes and lease claims are
 * single conditional UPDATEs, so replicas sharing the database agree without locks.
 */
public final class JdbcInteractionStore implements InteractionStore {

    static final String COLUMNS = "interaction_id, user_id, create_time, update_time, description, agent, "
            + "mode, file_list, recorder_root_dir, status, message, current_step, is_deleted, call_method, is_shared";

    private static final List<InteractionStatus> ACTIVE =
            Arrays.stream(InteractionStatus.values()).filter(InteractionStatus::isActive).toList();

    private final Sql sql;
    private final Clock clock;

    JdbcInteractionStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public void insert(Interaction i) {
        Instant now = clock.instant();
        sql.update("insert interaction " + i.interactionId(),
                "INSERT INTO interactions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                i.interactionId(), i.userId(),
                Sql.at(i.createTime() == null ? now : i.createTime()),
                Sql.at(i.updateTime() == null ? now : i.updateTime()),
                i.description(), i.agent(), i.mode(), i.fileListJson(), i.recorderRootDir(), i.status().wire(),
                i.message(), i.currentStep(), i.deleted(), i.callMethod(), i.shared());
    }

    @Override
    public Optional<Interaction> find(String interactionId) {
        return sql.first("find interaction " + interactionId,
                "SELECT " + COLUMNS + " FROM interactions WHERE interaction_id = ?",
                JdbcInteractionStore::interaction, interactionId);
    }

    @Override
    public Optional<Interaction> findReady(String userId) {
        return sql.first("find ready interaction of " + userId,
                "SELECT " + COLUMNS + " FROM interactions WHERE user_id = ? AND status = ? AND is_deleted = FALSE "
                        + "ORDER BY create_time DESC, interaction_id DESC LIMIT 1",
                JdbcInteractionStore::interaction, userId, InteractionStatus.READY.wire());
    }

    @Override
    public Page<Interaction> listByUser(String userId, InteractionStatus status, int page, int pageSize) {
        checkPage(page, pageSize);
        String what = "list " + status.wire() + " interactions of " + userId;
        long total = sql.number(what,
                "SELECT COUNT(*) FROM interactions WHERE user_id = ? AND status = ? AND is_deleted = FALSE",
                userId, status.wire());
        List<Interaction> rows = sql.list(what,
                "SELECT " + COLUMNS + " FROM interactions WHERE user_id = ? AND status = ? AND is_deleted = FALSE "
                        + "ORDER BY create_time DESC, interaction_id DESC LIMIT ? OFFSET ?",
                JdbcInteractionStore::interaction, userId, status.wire(), pageSize, offset(page, pageSize));
        return new Page<>(total, rows);
    }

    @Override
    public Page<Interaction> listByUser(String userId, int page, int pageSize) {
        checkPage(page, pageSize);
        String what = "list interactions of " + userId;
        long total = sql.number(what,
                "SELECT COUNT(*) FROM interactions WHERE user_id = ? AND is_deleted = FALSE", userId);
        List<Interaction> rows = sql.list(what,
                "SELECT " + COLUMNS + " FROM interactions WHERE user_id = ? AND is_deleted = FALSE "
                        + "ORDER BY create_time DESC, interaction_id DESC LIMIT ? OFFSET ?",
                JdbcInteractionStore::interaction, userId, pageSize, offset(page, pageSize));
        return new Page<>(total, rows);
    }

    @Override
    public Page<Interaction> listShared(int page, int pageSize) {
        checkPage(page, pageSize);
        String what = "list shared interactions";
        long total = sql.number(what,
                "SELECT COUNT(*) FROM interactions WHERE is_shared = TRUE AND is_deleted = FALSE");
        List<Interaction> rows = sql.list(what,
                "SELECT " + COLUMNS + " FROM interactions WHERE is_shared = TRUE AND is_deleted = FALSE "
                        + "ORDER BY create_time DESC, interaction_id DESC LIMIT ? OFFSET ?",
                JdbcInteractionStore::interaction, pageSize, offset(page, pageSize));
        return new Page<>(total, rows);
    }

    @Override
    public boolean hasActive(String userId) {
        List<Object> params = new ArrayList<>();
        params.add(userId);
        params.addAll(wires(ACTIVE));
        return sql.number("check active interactions of " + userId,
                "SELECT COUNT(*) FROM interactions WHERE user_id = ? AND status IN (" + placeholders(ACTIVE.size()) + ")",
                params.toArray()) > 0;
    }

    @Override
    public void updateStatus(String interactionId, InteractionStatus status, String message) {
        sql.update("update status of " + interactionId,
                "UPDATE interactions SET status = ?, message = ?, update_time = ? WHERE interaction_id = ?",
                status.wire(), message, Sql.at(clock.instant()), interactionId);
    }

    @Override
    public boolean transition(String interactionId, Collection<InteractionStatus> expected,
                              InteractionStatus status, String message) {
        return transition(interactionId, expected, status, message, null);
    }

    @Override
    public boolean transitionAsLeaseHolder(String interactionId, Collection<InteractionStatus> expected,
                                           InteractionStatus status, String message, String ownerId) {
        return transition(interactionId, expected, status, message, Objects.requireNonNull(ownerId, "ownerId"));
    }

    /** One conditional UPDATE; with an owner, only while that owner holds the run lease. */
    private boolean transition(String interactionId, Collection<InteractionStatus> expected, InteractionStatus status,
                               String message, String ownerId) {
        if (expected.isEmpty()) {
            return false;
        }
        List<Object> params = new ArrayList<>(List.of(status.wire()));
        params.add(message);
        params.add(Sql.at(clock.instant()));
        params.add(interactionId);
        if (ownerId != null) {
            params.add(ownerId);
        }
        params.addAll(wires(expected));
        return sql.update("transition " + interactionId + " to " + status.wire()
                        + (ownerId == null ? "" : " as " + ownerId),
                "UPDATE interactions SET status = ?, message = ?, update_time = ? WHERE interaction_id = ? "
                        + (ownerId == null ? "" : "AND lease_owner = ? ")
                        + "AND status IN (" + placeholders(expected.size()) + ")",
                params.toArray()) > 0;
    }

    @Override
    public Optional<LogHead> head(String interactionId) {
        return sql.first("read log head of " + interactionId,
                "SELECT status, (SELECT COALESCE(MAX(seq), -1) FROM steps WHERE steps.interaction_id = ?) "
                        + "FROM interactions WHERE interaction_id = ?",
                row -> logHead(row, 1), interactionId, interactionId);
    }

    @Override
    public Map<String, LogHead> heads(Collection<String> interactionIds) {
        if (interactionIds.isEmpty()) {
            return Map.of();
        }
        Map<String, LogHead> heads = new HashMap<>();
        sql.list("read log heads",
                "SELECT i.interaction_id, i.status, (SELECT COALESCE(MAX(s.seq), -1) FROM steps s "
                        + "WHERE s.interaction_id = i.interaction_id) FROM interactions i WHERE i.interaction_id IN ("
                        + placeholders(interactionIds.size()) + ")",
                row -> heads.put(Sql.stringAt(row, 1), logHead(row, 2)), interactionIds.toArray());
        return heads;
    }

    private static LogHead logHead(DbRow row, int at) {
        String status = Sql.stringAt(row, at);
        return new LogHead(InteractionStatus.fromWire(status)
                .orElseThrow(() -> new StoreException("unknown interaction status " + status, null)),
                Sql.longAt(row, at + 1));
    }

    @Override
    public void updateConfig(String interactionId, String agent, String mode, String fileListJson) {
        sql.update("update config of " + interactionId,
                "UPDATE interactions SET agent = ?, mode = ?, file_list = ?, update_time = ? WHERE interaction_id = ?",
                agent, mode, fileListJson, Sql.at(clock.instant()), interactionId);
    }

    @Override
    public void updateDescription(String interactionId, String description) {
        set(interactionId, "description", description);
    }

    @Override
    public void updateCurrentStep(String interactionId, String currentStep) {
        set(interactionId, "current_step", currentStep);
    }

    @Override
    public void setRecorderRootDir(String interactionId, String recorderRootDir) {
        set(interactionId, "recorder_root_dir", recorderRootDir);
    }

    @Override
    public void markDeleted(String interactionId) {
        set(interactionId, "is_deleted", true);
    }

    @Override
    public void markShared(String interactionId) {
        set(interactionId, "is_shared", true);
    }

    /** {@code column} is always one of this class's constants, never caller input. */
    private void set(String interactionId, String column, Object value) {
        sql.update("update " + column + " of " + interactionId,
                "UPDATE interactions SET " + column + " = ?, update_time = ? WHERE interaction_id = ?",
                value, Sql.at(clock.instant()), interactionId);
    }

    /** The database's now plus a bound number of milliseconds: lease times never come from a replica's clock. */
    private static final String DB_NOW_PLUS_MILLIS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    @Override
    public boolean claimLease(String interactionId, String ownerId, Duration duration) {
        return sql.update("claim lease of " + interactionId + " for " + ownerId,
                "UPDATE interactions SET lease_owner = ?, lease_until = " + DB_NOW_PLUS_MILLIS
                        + ", stop_requested = FALSE WHERE interaction_id = ? "
                        + "AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP)",
                ownerId, duration.toMillis(), interactionId) > 0;
    }

    @Override
    public boolean renewLease(String interactionId, String ownerId, Duration duration) {
        return sql.update("renew lease of " + interactionId + " by " + ownerId,
                "UPDATE interactions SET lease_until = " + DB_NOW_PLUS_MILLIS
                        + " WHERE interaction_id = ? AND lease_owner = ?",
                duration.toMillis(), interactionId, ownerId) > 0;
    }

    @Override
    public void releaseLease(String interactionId, String ownerId) {
        sql.update("release lease of " + interactionId + " by " + ownerId,
                "UPDATE interactions SET lease_owner = NULL, lease_until = NULL "
                        + "WHERE interaction_id = ? AND lease_owner = ?",
                interactionId, ownerId);
    }

    @Override
    public List<Interaction> findExpiredActive() {
        return sql.list("find expired active interactions",
                "SELECT " + COLUMNS + " FROM interactions WHERE status IN (" + placeholders(ACTIVE.size()) + ") "
                        + "AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP) ORDER BY lease_until",
                JdbcInteractionStore::interaction, wires(ACTIVE).toArray());
    }

    @Override
    public boolean requestStop(String interactionId) {
        return sql.update("request stop of " + interactionId,
                "UPDATE interactions SET stop_requested = TRUE WHERE interaction_id = ? AND lease_owner IS NOT NULL",
                interactionId) > 0;
    }

    @Override
    public Set<String> stopsRequested(String ownerId) {
        return Set.copyOf(sql.list("find stops requested of runs of " + ownerId,
                "SELECT interaction_id FROM interactions WHERE lease_owner = ? AND stop_requested = TRUE",
                row -> Sql.stringAt(row, 1), ownerId));
    }

    @Override
    public Optional<String> leaseOwner(String interactionId) {
        return sql.first("read lease owner of " + interactionId,
                        "SELECT lease_owner FROM interactions WHERE interaction_id = ?",
                        row -> Optional.ofNullable(Sql.stringAt(row, 1)), interactionId)
                .flatMap(owner -> owner);
    }

    @Override
    public long deliveredSeq(String interactionId) {
        return sql.first("read delivery cursor of " + interactionId,
                        "SELECT delivered_seq FROM interactions WHERE interaction_id = ?",
                        row -> Sql.longAt(row, 1), interactionId)
                .orElse(-1L);
    }

    @Override
    public void updateDeliveredSeq(String interactionId, long seq) {
        sql.update("move delivery cursor of " + interactionId,
                "UPDATE interactions SET delivered_seq = ? WHERE interaction_id = ? AND delivered_seq < ?",
                seq, interactionId, seq);
    }

    private static void checkPage(int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1, got " + page + " and " + pageSize);
        }
    }

    private static long offset(int page, int pageSize) {
        return (long) (page - 1) * pageSize;
    }

    private static List<String> wires(Collection<InteractionStatus> statuses) {
        return statuses.stream().map(InteractionStatus::wire).toList();
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    static Interaction interaction(DbRow row) {
        String status = Sql.stringAt(row, 10);
        return new Interaction(Sql.stringAt(row, 1), Sql.stringAt(row, 2), Sql.instantAt(row, 3), Sql.instantAt(row, 4),
                Sql.stringAt(row, 5), Sql.stringAt(row, 6), Sql.stringAt(row, 7), Sql.stringAt(row, 8),
                Sql.stringAt(row, 9),
                InteractionStatus.fromWire(status)
                        .orElseThrow(() -> new StoreException("unknown interaction status " + status, null)),
                Sql.stringAt(row, 11), Sql.stringAt(row, 12), Sql.booleanAt(row, 13), Sql.stringAt(row, 14),
                Sql.booleanAt(row, 15));
    }
}
