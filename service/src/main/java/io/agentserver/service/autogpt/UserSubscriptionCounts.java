package io.agentserver.service.autogpt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How many distinct channels each user's sockets on this replica subscribe to, against a cap. */
final class UserSubscriptionCounts {

    private final int max;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    UserSubscriptionCounts(int max) {
        this.max = max;
    }

    /** Takes one slot of the user's; false when the user is at the cap. */
    boolean tryAcquire(String userId) {
        boolean[] taken = {false};
        counts.compute(userId, (user, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    void release(String userId, int slots) {
        if (slots > 0) {
            counts.computeIfPresent(userId, (user, count) -> count - slots <= 0 ? null : count - slots);
        }
    }

    int of(String userId) {
        return counts.getOrDefault(userId, 0);
    }
}
