package io.agentserver.service.hub;

import io.agentserver.service.testing.RawWebSocket;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Pings as RFC 6455 allows them are answered; a ping no pong could carry closes the socket with 1002. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlFramesIT {

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() {
        try (RawWebSocket socket = autogptSocket()) {
            byte[] payload = filled(125);
            socket.frame(true, RawWebSocket.PING, payload);
            RawWebSocket.Frame pong = socket.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    @Test
    void aPingOver125BytesClosesTheSocketWith1002() {
        try (RawWebSocket socket = autogptSocket()) {
            socket.frame(true, RawWebSocket.PING, filled(200));
            assertThat(socket.untilClosed()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        }
    }

    private RawWebSocket autogptSocket() {
        return RawWebSocket.upgrade(server.port(), "/ws?token=" + TestTokens.forUser(UUID.randomUUID().toString()));
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'p');
        return bytes;
    }
}
