package io.agentserver.bench.sut;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.IntFunction;

/**
 * AutoGPT's PostgreSQL as the sharded scheme's graph lookup reads it: an embedded PostgreSQL with the platform
 * schema's {@code AgentGraphExecution} (Prisma's column names and types) holding the bench's executions.
 */
final class AutoGptDatabase implements AutoCloseable {

    private static final String DDL = """
            CREATE SCHEMA platform;
            CREATE TABLE platform."AgentGraphExecution" (
                "id" TEXT NOT NULL PRIMARY KEY,
                "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                "isDeleted" BOOLEAN NOT NULL DEFAULT false,
                "agentGraphId" TEXT NOT NULL,
                "agentGraphVersion" INTEGER NOT NULL,
                "userId" TEXT NOT NULL,
                "stats" JSONB);
            CREATE INDEX "AgentGraphExecution_userId_isDeleted_createdAt_idx"
                ON platform."AgentGraphExecution" ("userId", "isDeleted", "createdAt");
            """;

    private final EmbeddedPostgres postgres;

    private AutoGptDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param executions ids 0 … executions-1
     * @param row        the execution id, user id and graph id of execution {@code i}
     */
    static AutoGptDatabase start(int executions, IntFunction<List<String>> row) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(DDL);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO platform.\"AgentGraphExecution\""
                        + " (id, \"agentGraphId\", \"agentGraphVersion\", \"userId\") VALUES (?, ?, 1, ?)")) {
                    for (int i = 0; i < executions; i++) {
                        List<String> ids = row.apply(i);
                        insert.setString(1, ids.get(0));
                        insert.setString(2, ids.get(2));
                        insert.setString(3, ids.get(1));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return new AutoGptDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare AutoGPT's bench database", e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
