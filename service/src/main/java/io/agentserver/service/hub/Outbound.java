package io.agentserver.service.hub;

import java.time.Instant;

/**
 * What a socket's {@link OutboundWriter} takes from its queue, in order. A shared {@link TextFrame} is queued as
 * it is: delivering an event to a socket allocates no item of its own.
 */
sealed interface Outbound permits TextFrame, Outbound.Text, Outbound.Stamped, Outbound.Pong, Outbound.Task,
        Outbound.Close {

    /** A text frame not encoded yet (one socket's own answer). */
    record Text(String text) implements Outbound {
    }

    /** A shared frame carrying a step emitted at {@code emittedAt}: its latency is observed once it is written. */
    record Stamped(TextFrame frame, Instant emittedAt) implements Outbound {
    }

    /** A pong answering a client ping; {@code payload} is at most 125 bytes. */
    record Pong(byte[] payload) implements Outbound {
    }

    /** Code to run on the writer, between the frames queued before and after it. */
    record Task(Runnable body) implements Outbound {
    }

    /** The close frame; nothing after it is written. */
    record Close(int code, String reason) implements Outbound {
    }
}
