package io.agentserver.service.autogpt;

import java.util.List;
import java.util.Objects;

/**
 * An event ready for local subscribers: whose it is, what kind, and the encoded frame for each
 * channel key it goes to. A {@link Delivery} whose {@code channelKey} is null (notifications) goes to
 * every socket of {@code userId}; otherwise to the subscribers of that key. Each frame is encoded once
 * and shared by all its sockets.
 */
public record IngestedEvent(String userId, WsMethod method, List<Delivery> deliveries) {

    public IngestedEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(method, "method");
        deliveries = List.copyOf(deliveries);
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
