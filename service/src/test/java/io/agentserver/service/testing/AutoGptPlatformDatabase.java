package io.agentserver.service.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * AutoGPT's own PostgreSQL as the graph lookup sees it: a database on an embedded PostgreSQL holding the platform
 * schema's {@code AgentGraphExecution} (and the tables its keys point to), and a role that may only read it, as an
 * operator would give the gateway. Each instance is a fresh database.
 */
public final class AutoGptPlatformDatabase {

    public static final String READER = "autogpt_reader";
    public static final String READER_PASSWORD = "reader-secret";

    private final String name;

    private AutoGptPlatformDatabase(String name) {
        this.name = name;
    }

    /** A new database with AutoGPT's tables in schema {@code platform}, readable by {@link #READER}. */
    public static AutoGptPlatformDatabase create() {
        String name = "autogpt_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        EmbeddedPostgres server = Server.POSTGRES;
        try (Connection admin = server.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + READER
                    + "') THEN CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "'; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create AutoGPT's test database", e);
        }
        AutoGptPlatformDatabase database = new AutoGptPlatformDatabase(name);
        database.execute(schema());
        database.execute("GRANT USAGE ON SCHEMA platform TO " + READER
                + "; GRANT SELECT ON platform.\"AgentGraphExecution\" TO " + READER);
        return database;
    }

    /** JDBC URL of this database. */
    public String url() {
        return Server.POSTGRES.getJdbcUrl("postgres", name);
    }

    /** The settings a server gets: the read-only role, schema {@code platform}. */
    public Map<String, String> serverConfig() {
        return Map.of("autogpt.database.url", url(),
                "autogpt.database.username", READER,
                "autogpt.database.password", READER_PASSWORD);
    }

    /** An execution of {@code graphId} by {@code userId} (user and graph rows are made as needed); returns its id. */
    public String execution(String userId, String graphId) {
        String id = UUID.randomUUID().toString();
        execution(id, userId, graphId);
        return id;
    }

    public void execution(String id, String userId, String graphId) {
        try (Connection connection = owner();
             PreparedStatement user = connection.prepareStatement(
                     "INSERT INTO platform.\"User\" (id, email) VALUES (?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement graph = connection.prepareStatement(
                     "INSERT INTO platform.\"AgentGraph\" (id, version, \"userId\") VALUES (?, 1, ?)"
                             + " ON CONFLICT DO NOTHING");
             PreparedStatement execution = connection.prepareStatement(
                     "INSERT INTO platform.\"AgentGraphExecution\" (id, \"agentGraphId\", \"agentGraphVersion\","
                             + " \"userId\", \"executionStatus\") VALUES (?, ?, 1, ?, 'RUNNING')")) {
            user.setString(1, userId);
            user.setString(2, userId + "@example.com");
            user.executeUpdate();
            graph.setString(1, graphId);
            graph.setString(2, userId);
            graph.executeUpdate();
            execution.setString(1, id);
            execution.setString(2, graphId);
            execution.setString(3, userId);
            execution.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert an execution", e);
        }
    }

    /** Marks an execution deleted, as AutoGPT's delete does ({@code isDeleted = true}). */
    public void delete(String id) {
        execute("UPDATE platform.\"AgentGraphExecution\" SET \"isDeleted\" = true WHERE id = '" + id + "'");
    }

    /** Connects as the owner (the tests' superuser). */
    public Connection owner() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    private void execute(String sql) {
        try (Connection connection = owner(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    private static String schema() {
        try (InputStream in = AutoGptPlatformDatabase.class.getResourceAsStream("/autogpt-platform/schema.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One embedded PostgreSQL for AutoGPT's databases per JVM (apart from ours: AutoGPT runs its own). */
    private static final class Server {
        static final EmbeddedPostgres POSTGRES = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }, "autogpt-postgres-stop"));
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
    }
}
