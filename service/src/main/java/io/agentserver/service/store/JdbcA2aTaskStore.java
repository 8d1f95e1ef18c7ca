package io.agentserver.service.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link A2aTaskStore} on the {@code a2a_tasks} and {@code a2a_messages} tables. */
public final class JdbcA2aTaskStore implements A2aTaskStore {

    /** Interactions nobody started a run on: not tasks, unless the A2A view created them. */
    private static final Set<InteractionStatus> NOT_STARTED =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);
    private static final String INTERACTION_COLUMNS = Arrays.stream(JdbcInteractionStore.COLUMNS.split(","))
            .map(c -> "i." + c.trim()).collect(Collectors.joining(", "));

    private final Sql sql;
    private final Clock clock;

    JdbcA2aTaskStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public void create(String interactionId, String contextId) {
        sql.update("create a2a task " + interactionId,
                "INSERT INTO a2a_tasks (interaction_id, context_id) VALUES (?, ?)", interactionId, contextId);
    }

    @Override
    public Optional<String> contextId(String interactionId) {
        return sql.first("read context of " + interactionId,
                "SELECT context_id FROM a2a_tasks WHERE interaction_id = ?", row -> Sql.stringAt(row, 1),
                interactionId);
    }

    @Override
    public void addMessage(String interactionId, String messageJson) {
        sql.update("add a2a message to " + interactionId,
                "INSERT INTO a2a_messages (interaction_id, message, create_time) VALUES (?, ?, ?)",
                interactionId, messageJson, Sql.at(clock.instant()));
    }

    @Override
    public List<String> messages(String interactionId) {
        return sql.list("list a2a messages of " + interactionId,
                "SELECT message FROM a2a_messages WHERE interaction_id = ? ORDER BY message_pk",
                row -> Sql.stringAt(row, 1), interactionId);
    }

    @Override
    public Page<ListedTask> list(TaskQuery query) {
        String what = "list a2a tasks of " + query.userId();
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        long total = sql.number(what, "SELECT COUNT(*) FROM interactions i LEFT JOIN a2a_tasks t "
                + "ON t.interaction_id = i.interaction_id WHERE " + where, params.toArray());
        if (query.after().isPresent()) {
            Position after = query.after().get();
            where += " AND (i.update_time < ? OR (i.update_time = ? AND i.interaction_id < ?))";
            params.add(Sql.at(after.updateTime()));
            params.add(Sql.at(after.updateTime()));
            params.add(after.interactionId());
        }
        params.add(query.limit());
        int contextColumn = JdbcInteractionStore.COLUMNS.split(",").length + 1;
        List<ListedTask> rows = sql.list(what,
                "SELECT " + INTERACTION_COLUMNS + ", t.context_id FROM interactions i LEFT JOIN a2a_tasks t "
                        + "ON t.interaction_id = i.interaction_id WHERE " + where
                        + " ORDER BY i.update_time DESC, i.interaction_id DESC LIMIT ?",
                row -> {
                    Interaction interaction = JdbcInteractionStore.interaction(row);
                    String context = Sql.stringAt(row, contextColumn);
                    return new ListedTask(interaction, context == null ? interaction.interactionId() : context);
                },
                params.toArray());
        return new Page<>(total, rows);
    }

    /** The filters of a listing, without its position; adds their parameters. */
    private static String where(TaskQuery query, List<Object> params) {
        StringBuilder where = new StringBuilder("i.user_id = ? AND i.is_deleted = FALSE AND (t.interaction_id IS NOT NULL"
                + " OR i.status NOT IN (" + placeholders(NOT_STARTED.size()) + "))");
        params.add(query.userId());
        NOT_STARTED.forEach(s -> params.add(s.wire()));
        query.contextId().ifPresent(context -> {
            where.append(" AND COALESCE(t.context_id, i.interaction_id) = ?");
            params.add(context);
        });
        query.updatedSince().ifPresent(since -> {
            where.append(" AND i.update_time >= ?");
            params.add(Sql.at(since));
        });
        if (!query.statuses().isEmpty()) {
            where.append(" AND i.status IN (").append(placeholders(query.statuses().size())).append(")");
            query.statuses().forEach(s -> params.add(s.wire()));
        }
        return where.toString();
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
