package io.agentserver.service.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Predicate;

/** {@link UsageStore} on the service database (tables of migration V11); the same SQL on H2 and PostgreSQL. */
final class JdbcUsageStore implements UsageStore {

    private static final String ACTIVE = "'running', 'ask_for_human_help'";
    private static final String NOT_ENDED = "'ready', 'connected', 'waiting', 'running', 'ask_for_human_help'";

    private final Sql sql;

    JdbcUsageStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public RunCounts admitIf(String userId, String interactionId, String agent, Instant now, Duration window,
                             Duration startGrace, Predicate<RunCounts> admit) {
        try {
            sql.update("add usage user " + userId, "INSERT INTO usage_users (user_id) VALUES (?)", userId);
        } catch (DuplicateKeyException e) {
            // the user's row exists: the usual case
        }
        return sql.inTransaction("admit a run of " + userId, tx -> {
            Sql.first(tx, "SELECT user_id FROM usage_users WHERE user_id = ? FOR UPDATE", userId);
            long active = Sql.number(tx, "SELECT COUNT(DISTINCT a.interaction_id) FROM run_admissions a"
                    + " JOIN interactions i ON i.interaction_id = a.interaction_id"
                    + " WHERE a.user_id = ? AND (i.status IN (" + ACTIVE + ")"
                    + " OR (a.admitted_at > ? AND i.status IN (" + NOT_ENDED + ")))",
                    userId, Sql.at(now.minus(startGrace)));
            long recent = Sql.number(tx, "SELECT COUNT(*) FROM run_admissions WHERE user_id = ? AND admitted_at > ?",
                    userId, Sql.at(now.minus(window)));
            RunCounts counts = new RunCounts((int) active, (int) recent);
            if (admit.test(counts)) {
                tx.createDmlStatement("INSERT INTO run_admissions (user_id, interaction_id, agent, admitted_at)"
                        + " VALUES (?, ?, ?, ?)").params(userId, interactionId, agent, Sql.at(now)).execute();
            }
            return counts;
        });
    }

    @Override
    public long tokensOn(String userId, LocalDate day) {
        return sql.first("tokens of " + userId, "SELECT tokens FROM token_spend WHERE user_id = ? AND spend_day = ?",
                row -> Sql.longAt(row, 1), userId, day).orElse(0L);
    }

    @Override
    public long addTokens(String userId, LocalDate day, long tokens) {
        if (sql.update("add tokens of " + userId, "UPDATE token_spend SET tokens = tokens + ? WHERE user_id = ? AND spend_day = ?",
                tokens, userId, day) == 0) {
            try {
                sql.update("first tokens of " + userId, "INSERT INTO token_spend (user_id, spend_day, tokens) VALUES (?, ?, ?)",
                        userId, day, tokens);
            } catch (DuplicateKeyException e) {
                // another replica inserted the day's row first
                sql.update("add tokens of " + userId,
                        "UPDATE token_spend SET tokens = tokens + ? WHERE user_id = ? AND spend_day = ?", tokens, userId, day);
            }
        }
        return tokensOn(userId, day);
    }
}
