package io.agentserver.service.testing;

import io.agentserver.service.AgentServer;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.store.DatabaseSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real agent server on a random port, configured only by what the test gives it. */
public final class TestServer implements AutoCloseable {

    private final AgentServer server;
    private final Path recordings;

    private TestServer(AgentServer server, Path recordings) {
        this.server = server;
        this.recordings = recordings;
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
            return new TestServer(AgentServer.start(config, brokerView), recordings);
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

    @Override
    public void close() {
        server.close();
    }
}
