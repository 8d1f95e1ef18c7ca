package io.agentserver.service.autogpt.lookup;

import io.agentserver.service.testing.AutoGptPlatformDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The graph lookup against a real PostgreSQL holding AutoGPT's {@code AgentGraphExecution}, as a read-only role. */
class AutoGptGraphLookupIT {

    private AutoGptPlatformDatabase database;

    @BeforeEach
    void createDatabase() {
        database = AutoGptPlatformDatabase.create();
    }

    private AutoGptDatabaseSettings settings(String schema) {
        return new AutoGptDatabaseSettings(Optional.of(database.url()), Optional.of(AutoGptPlatformDatabase.READER),
                Optional.of(AutoGptPlatformDatabase.READER_PASSWORD), schema, 2, Duration.ofSeconds(2), 100,
                Duration.ofMinutes(10));
    }

    @Test
    void findsTheGraphOfTheUsersOwnExecutionOnly() {
        String user = UUID.randomUUID().toString();
        String exec = database.execution(user, "graph-1");
        try (AutoGptExecutions lookup = new AutoGptExecutions(settings("platform"))) {
            assertThat(lookup.graphOf(user, exec)).contains("graph-1");
            assertThat(lookup.graphOf("someone-else", exec)).as("another user's execution").isEmpty();
            assertThat(lookup.graphOf(user, UUID.randomUUID().toString())).as("unknown").isEmpty();
        }
    }

    @Test
    void aDeletedExecutionIsNotFound() {
        String user = UUID.randomUUID().toString();
        String exec = database.execution(user, "graph-1");
        database.delete(exec);
        try (AutoGptExecutions lookup = new AutoGptExecutions(settings("platform"))) {
            assertThat(lookup.graphOf(user, exec)).isEmpty();
        }
    }

    @Test
    void readsTheConfiguredSchema() throws Exception {
        String user = UUID.randomUUID().toString();
        String exec = database.execution(user, "graph-2");
        try (Connection owner = database.owner(); Statement statement = owner.createStatement()) {
            statement.execute("ALTER SCHEMA platform RENAME TO tenant_a");
        }
        try (AutoGptExecutions lookup = new AutoGptExecutions(settings("tenant_a"));
             AutoGptExecutions wrongSchema = new AutoGptExecutions(settings("platform"))) {
            assertThat(lookup.graphOf(user, exec)).contains("graph-2");
            assertThatThrownBy(() -> wrongSchema.graphOf(user, exec))
                    .isInstanceOf(GraphLookup.LookupFailedException.class)
                    .hasMessageContaining("AgentGraphExecution");
        }
    }

    @Test
    void itsSessionsAreReadOnlyEvenForARoleThatMayWrite() {
        AutoGptDatabaseSettings asOwner = new AutoGptDatabaseSettings(Optional.of(database.url()),
                Optional.of("postgres"), Optional.empty(), "platform", 1, Duration.ofSeconds(2), 100,
                Duration.ofMinutes(10));
        try (AutoGptExecutions lookup = new AutoGptExecutions(asOwner)) {
            assertThat(lookup.sessionIsReadOnly()).isTrue();
        }
    }

    @Test
    void anUnreachableDatabaseFailsWithinItsTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AutoGptDatabaseSettings unreachable = new AutoGptDatabaseSettings(
                Optional.of("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres"), Optional.of("x"),
                Optional.empty(), "platform", 1, Duration.ofSeconds(1), 100, Duration.ofMinutes(10));
        try (AutoGptExecutions lookup = new AutoGptExecutions(unreachable)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> lookup.graphOf("u", UUID.randomUUID().toString()))
                    .isInstanceOf(GraphLookup.LookupFailedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void theCacheAnswersWhatItFoundWithoutTheDatabaseAndAsksAgainForWhatItDidNot() {
        String user = UUID.randomUUID().toString();
        String exec = database.execution(user, "graph-3");
        String later = UUID.randomUUID().toString();
        AutoGptDatabaseSettings settings = settings("platform");
        try (CachedGraphLookup lookup = new CachedGraphLookup(new AutoGptExecutions(settings), settings)) {
            assertThat(lookup.graphOf(user, exec)).contains("graph-3");
            assertThat(lookup.graphOf(user, later)).isEmpty();

            database.delete(exec);
            database.execution(later, user, "graph-4");

            assertThat(lookup.graphOf(user, exec)).as("cached: the graph of an execution never changes")
                    .contains("graph-3");
            assertThat(lookup.graphOf(user, later)).as("a miss is not cached: it may exist a moment later")
                    .contains("graph-4");
        }
    }
}
