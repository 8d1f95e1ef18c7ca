package io.agentserver.service.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timings of one protocol's sockets, in one place; each protocol reads its own from its part of
 * the configuration and names the defaults there.
 *
 * @param protocol        whose sockets these are
 * @param maxMessageBytes largest client message in UTF-8 bytes, however fragmented; a larger one closes with 1009
 * @param writerMaxBytes  bytes queued for the socket and not yet written before the client counts as slow
 *                        (1013); producers that can wait (log cursors) pause at half of it instead
 * @param closeGrace      how long a close this side sent may take before the TCP connection is dropped
 * @param pingInterval    a socket that sent nothing for this long is pinged; the unit of the pong deadline
 * @param missedPongs     a ping unanswered for this many ping intervals means the peer is gone: the connection
 *                        is dropped and ends as abrupt
 * @param acknowledge     ping a socket whenever frames were written since its last answered ping (one ping out at a
 *                        time, so at most one per round trip), so that its view learns which frames the client
 *                        really received
 */
public record SocketSettings(Protocol protocol,
                             int maxMessageBytes,
                             long writerMaxBytes,
                             Duration closeGrace,
                             Duration pingInterval,
                             int missedPongs,
                             boolean acknowledge) {

    public SocketSettings {
        Objects.requireNonNull(protocol, "protocol");
        if (maxMessageBytes < 1 || writerMaxBytes < 1024 || missedPongs < 1) {
            throw new IllegalArgumentException(protocol.label()
                    + ": max-message-bytes must be positive, writer-max-bytes at least 1024, missed-pongs positive");
        }
        if (pingInterval.isNegative() || pingInterval.isZero()) {
            throw new IllegalArgumentException(protocol.label() + ": ping-interval must be positive");
        }
    }

    /** How long a ping may go unanswered before the peer counts as gone. */
    public Duration pongDeadline() {
        return pingInterval.multipliedBy(missedPongs);
    }
}
