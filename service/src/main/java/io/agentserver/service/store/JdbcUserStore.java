package io.agentserver.service.store;

import java.util.Optional;

import io.helidon.dbclient.DbRow;

/** {@link UserStore} on the {@code users} table. */
public final class JdbcUserStore implements UserStore {

    private static final String COLUMNS = "user_id, email, name, token, available, corporation, industry, position, "
            + "is_beta, deleted, create_time, update_time";

    private final Sql sql;

    JdbcUserStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<User> findById(String userId) {
        return sql.first("find user", "SELECT " + COLUMNS + " FROM users WHERE user_id = ?",
                JdbcUserStore::user, userId);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return sql.first("find user by email", "SELECT " + COLUMNS + " FROM users WHERE email = ?",
                JdbcUserStore::user, email);
    }

    @Override
    public void insert(User user) {
        sql.update("insert user " + user.userId(),
                "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                user.userId(), user.email(), user.name(), user.token(), user.available(),
                orEmpty(user.corporation()), orEmpty(user.industry()), orEmpty(user.position()),
                user.beta(), user.deleted(), Sql.at(user.createTime()), Sql.at(user.updateTime()));
    }

    @Override
    public User insertIfAbsent(User user) {
        Optional<User> existing = findById(user.userId());
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            insert(user);
        } catch (DuplicateKeyException e) {
            // Another replica inserted it meanwhile, or the email belongs to another user id.
            return findById(user.userId()).orElseThrow(() -> e);
        }
        return findById(user.userId()).orElseThrow();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static User user(DbRow row) {
        return new User(Sql.stringAt(row, 1), Sql.stringAt(row, 2), Sql.stringAt(row, 3), Sql.stringAt(row, 4),
                Sql.booleanAt(row, 5), Sql.stringAt(row, 6), Sql.stringAt(row, 7), Sql.stringAt(row, 8),
                Sql.booleanAt(row, 9), Sql.booleanAt(row, 10), Sql.instantAt(row, 11), Sql.instantAt(row, 12));
    }
}
