package io.agentserver.service.testing;

import io.agentserver.service.AgentServer;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.store.DatabaseSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real agent server on a random port, configured only by what the test gives it. */
public final class TestServer implements AutoCloseable {

    private final AgentServer server;
    private final Path recordings;
    private final DatabaseSettings database;

    private TestServer(AgentServer server, Path recordings, DatabaseSettings database) {
        this.server = server;
        this.recordings = recordings;
        this.database = database;
    }

    public static TestServer start(DatabaseSettings db, Map<String, String> overrides) {
        return start(db, overrides, UnaryOperator.identity());
    }

    /** A server whose broker is seen through {@code brokerView}, e.g. one that loses messages on purpose. */
    public static TestServer start(DatabaseSettings db, Map<String, String> overrides,
                                   UnaryOperator<EventBroker> brokerView) {
        try {
            Path recordings = Files.createTempDirectory("recordings");
            Map<String, String> values = new HashMap<>();
            values.put("server.port", "0");
            values.put("server.host", "127.0.0.1");
            values.put("server.connection-options.socket-receive-buffer-size", "1048576");
            values.put("db.connection.url", db.url());
            values.put("db.connection.username", db.username());
            values.put("db.connection.password", db.password());
            values.put("db.pool-size", String.valueOf(db.poolSize()));
            values.put("xagent.recordings-dir", recordings.toString());
            values.put("xagent.share-pace-min", "PT0.01S");
            values.put("xagent.share-pace-max", "PT0.02S");
            values.put("xagent.recorder-delay", "PT0.005S");
            values.put("auth.jwt.secret", TestTokens.SECRET);
            values.putAll(overrides);
            Config config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.create(values))
                    .build();
            return new TestServer(AgentServer.start(config, brokerView), recordings, db);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    public Path recordings() {
        return recordings;
    }

    /** The database this server uses, for tests that look at what is stored. */
    public DatabaseSettings database() {
        return database;
    }

    /** Rows of a query on the server's database, each row its columns in order (as strings; null stays null). */
    public List<List<String>> query(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
                database.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        row.add(result.getString(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
