package io.agentserver.service.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * A real Redis on a free port, with a raw Lettuce client that publishes the way AutoGPT's executor does.
 * Can be restarted on the same port.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;
    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private EmbeddedRedis(int port) {
        this.port = port;
        this.client = RedisClient.create(RedisURI.builder()
                .withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
        client.setOptions(ClientOptions.builder()
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build());
    }

    public static EmbeddedRedis start() {
        EmbeddedRedis redis = new EmbeddedRedis(freePort());
        redis.startServer();
        return redis;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** {@code PUBLISH channel message}; the number of Redis subscribers that got it. */
    public long publish(String channel, String message) {
        return commands().publish(channel, message);
    }

    public RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection.sync();
    }

    /** Stops the server (dropping every connection) and starts it again on the same port. */
    public void restart() {
        stopServer();
        startServer();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        stopServer();
    }

    /** Starts the server again after {@link #stopServer()}, on the same port. */
    public void startServer() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, dropping every connection, until {@link #startServer()}. */
    public void stopServer() {
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
