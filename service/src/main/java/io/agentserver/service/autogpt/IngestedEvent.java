package io.agentserver.service.autogpt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event ready for local subscribers: whose it is, what kind, and the encoded frame for each
 * channel key it goes to. A {@link Delivery} whose {@code channelKey} is null (notifications) goes to
 * every socket of {@code userId}; otherwise to the subscribers of that key. Each frame is encoded once
 * and shared by all its sockets. {@code emittedAt} is when one of our own runs emitted the step this
 * node event carries (for the step latency histogram); empty for everything else.
 */
public record IngestedEvent(String userId, WsMethod method, List<Delivery> deliveries, Optional<Instant> emittedAt) {

    public IngestedEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(emittedAt, "emittedAt");
        deliveries = List.copyOf(deliveries);
    }

    public IngestedEvent(String userId, WsMethod method, List<Delivery> deliveries) {
        this(userId, method, deliveries, Optional.empty());
    }

    /** The same event, marked as a step of our own runs emitted at {@code instant}. */
    public IngestedEvent emittedAt(Instant instant) {
        return new IngestedEvent(userId, method, deliveries, Optional.of(instant));
    }

    /** One encoded frame for one channel key, or for every socket of the user when the key is null. */
    public record Delivery(String channelKey, EncodedFrame frame) {
        public Delivery {
            Objects.requireNonNull(frame, "frame");
        }

        public boolean toEverySocketOfUser() {
            return channelKey == null;
        }
    }

    /** The channel keys this event goes to, in delivery order (empty for a notification). */
    public List<String> channelKeys() {
        return deliveries.stream().map(Delivery::channelKey).filter(Objects::nonNull).toList();
    }
}
