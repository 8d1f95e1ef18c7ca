package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * {@code redis.username} and {@code redis.password} against a real Redis that requires them. The
 * passwords hold base64 characters ({@code / + =}), which broke when spliced into the URI.
 */
class RedisCredentialsTest {

    private static final String DEFAULT_PASSWORD = "b64/pass+word==";
    private static final String ACL_USER = "agent";
    private static final String ACL_PASSWORD = "acl/pa+ss=";

    private static RedisServer redis;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("requirepass \"" + DEFAULT_PASSWORD + "\"")
                .setting("user " + ACL_USER + " on >" + ACL_PASSWORD + " ~* &* +@all")
                .build();
        redis.start();
    }

    @AfterAll
    static void stop() throws IOException {
        redis.stop();
    }

    @Test
    void connectsWithABase64PasswordGivenSeparately() {
        BrokerSettings settings = plain().withCredentials(Optional.empty(), DEFAULT_PASSWORD);

        try (EventBroker broker = EventBrokers.create(settings)) {
            assertThat(broker.isHealthy()).as("authenticated and answering").isTrue();
        }
    }

    @Test
    void connectsAsAnAclUserWithItsPassword() {
        BrokerSettings settings = plain().withCredentials(Optional.of(ACL_USER), ACL_PASSWORD);

        try (EventBroker broker = EventBrokers.create(settings)) {
            assertThat(broker.isHealthy()).as("authenticated and answering").isTrue();
        }
    }

    @Test
    void aWrongPasswordIsRefusedSoTheCredentialsAreReallySent() {
        BrokerSettings settings = plain().withCredentials(Optional.of(ACL_USER), DEFAULT_PASSWORD);

        assertThatThrownBy(() -> EventBrokers.create(settings).close()).isInstanceOf(RuntimeException.class);
    }

    private static BrokerSettings plain() {
        return BrokerSettings.redis("redis://127.0.0.1:" + port);
    }
}
