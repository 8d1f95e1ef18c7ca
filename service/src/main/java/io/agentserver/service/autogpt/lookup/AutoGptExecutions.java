package io.agentserver.service.autogpt.lookup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * {@link GraphLookup} on AutoGPT's PostgreSQL: the query AutoGPT's own {@code get_graph_execution_meta} makes,
 * {@code SELECT "agentGraphId" FROM <schema>."AgentGraphExecution" WHERE id = ? AND "userId" = ? AND "isDeleted" =
 * false}, on a small pool whose sessions are read-only. The pool starts empty and connects on first use, so the
 * service starts while AutoGPT's database is away.
 */
public final class AutoGptExecutions implements GraphLookup {

    private final HikariDataSource pool;
    private final String query;
    private final int timeoutSeconds;

    public AutoGptExecutions(AutoGptDatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("autogpt-db");
        config.setJdbcUrl(settings.url().orElseThrow(() ->
                new IllegalArgumentException("autogpt.database.url is not set")));
        settings.username().ifPresent(config::setUsername);
        settings.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        // a read-only session on PostgreSQL whatever the driver's read-only mode: nothing here can write
        config.setConnectionInitSql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        config.setConnectionTimeout(Math.max(250, settings.timeout().toMillis()));
        config.setValidationTimeout(Math.max(250, settings.timeout().toMillis()));
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.query = "SELECT \"agentGraphId\" FROM \"" + settings.schema() + "\".\"AgentGraphExecution\""
                + " WHERE id = ? AND \"userId\" = ? AND \"isDeleted\" = false";
        this.timeoutSeconds = (int) Math.max(1, settings.timeout().toSeconds());
    }

    @Override
    public Optional<String> graphOf(String userId, String graphExecId) {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, graphExecId);
            statement.setString(2, userId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LookupFailedException("AutoGPT's database did not answer: " + e.getMessage(), e);
        }
    }

    /** Whether the pool's sessions refuse writes ({@code SHOW transaction_read_only}): for diagnostics and tests. */
    boolean sessionIsReadOnly() {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("SHOW transaction_read_only");
             ResultSet row = statement.executeQuery()) {
            return row.next() && "on".equals(row.getString(1));
        } catch (SQLException e) {
            throw new LookupFailedException("AutoGPT's database did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
