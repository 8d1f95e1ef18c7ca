package io.agentserver.service.hub;

/**
 * What a socket's {@link OutboundWriter} takes from its queue, in order: bytes to write, nothing else. A shared
 * {@link TextFrame} is queued as it is: delivering an event to a socket allocates no item of its own.
 */
sealed interface Outbound permits TextFrame, Outbound.Tagged, Outbound.Pong, Outbound.Ping, Outbound.Close {

    /** The bytes this item puts on the wire. */
    int wireBytes();

    /**
     * A shared frame that carries a position of its view ({@code tag}, e.g. a step's seq; -1 for none) and, when
     * it carries a step, when that step was emitted ({@code emittedAtMillis}, 0 for none; its latency is observed
     * once the frame is written). A ping written after it proves, once answered, that the client read up to it.
     */
    record Tagged(TextFrame frame, long tag, long emittedAtMillis) implements Outbound {
        @Override
        public int wireBytes() {
            return frame.wire().length;
        }
    }

    /** A pong answering a client ping; {@code payload} is at most 125 bytes. */
    record Pong(byte[] payload) implements Outbound {
        @Override
        public int wireBytes() {
            return 2 + payload.length;
        }
    }

    /** A ping this side sends; its 8-byte payload is {@code id}, which the client's pong echoes. */
    record Ping(long id) implements Outbound {
        @Override
        public int wireBytes() {
            return 10;
        }
    }

    /** The close frame; nothing after it is written. */
    record Close(int code, String reason) implements Outbound {
        @Override
        public int wireBytes() {
            return 4 + reason.length();
        }
    }
}
