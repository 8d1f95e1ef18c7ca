package io.agentserver.service.a2a;

import io.agentserver.service.store.A2aTaskStore.Position;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code ListTasks}'s page token: where the previous page ended (the last task's update time and id), opaque to the
 * client. A listing by position, not by offset, skips and repeats nothing when tasks are added meanwhile.
 */
final class PageToken {

    private static final String VERSION = "v1";

    private PageToken() {
    }

    static String of(Position position) {
        String plain = VERSION + "|" + position.updateTime().getEpochSecond() + "|" + position.updateTime().getNano()
                + "|" + position.interactionId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names; empty when it is not one of ours. */
    static Optional<Position> parse(String token) {
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 4);
            if (fields.length != 4 || !fields[0].equals(VERSION) || fields[3].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Position(Instant.ofEpochSecond(Long.parseLong(fields[1]), Long.parseLong(fields[2])),
                    fields[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
