package io.agentserver.service.autogpt;

import java.util.Objects;
import java.util.Optional;

/**
 * {@link RedisIngest} with a memory of the last message: the replica's listeners of the execution bus (the
 * {@link ExecutionFanOut} and the history recorder) receive the same message one after the other on the
 * broker's thread, and the second finds it decoded. Safe to share between threads.
 */
public final class BusDecoder {

    private final RedisIngest ingest;
    private volatile Decoded last;

    private record Decoded(String channel, String message, Optional<IngestedEvent> event) {
    }

    public BusDecoder(RedisIngest ingest) {
        this.ingest = Objects.requireNonNull(ingest, "ingest");
    }

    /** As {@link RedisIngest#decode}; a message equal to the previous one is not decoded again. */
    public Optional<IngestedEvent> decode(String channel, String message) {
        Decoded previous = last;
        if (previous != null && Objects.equals(previous.message, message) && Objects.equals(previous.channel, channel)) {
            return previous.event;
        }
        Optional<IngestedEvent> event = ingest.decode(channel, message);
        last = new Decoded(channel, message, event);
        return event;
    }
}
