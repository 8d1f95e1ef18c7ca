package io.agentserver.service.a2a;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The A2A requests of this replica that stay open (streams, blocking sends): how many each user holds, capped as
 * the sockets are, and a way to end them all when the server drains.
 */
final class OpenRequests implements AutoCloseable {

    /** Something open that can be ended early. */
    interface Open {
        /** Ends it soon (a stream finishes after what is queued; a wait answers with the task as it is). */
        void end();
    }

    private final int maxPerUser;
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Set<Open> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    OpenRequests(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** Counts {@code request} for {@code userId}; false (nothing counted) over the cap or while draining. */
    boolean tryOpen(String userId, Open request) {
        if (closed) {
            return false;
        }
        boolean[] added = {false};
        perUser.compute(userId, (user, held) -> {
            int count = held == null ? 0 : held;
            if (count >= maxPerUser) {
                return held;
            }
            added[0] = true;
            return count + 1;
        });
        if (added[0]) {
            open.add(request);
        }
        return added[0];
    }

    void close(String userId, Open request) {
        if (open.remove(request)) {
            perUser.computeIfPresent(userId, (user, held) -> held <= 1 ? null : held - 1);
        }
    }

    /** Open streams and waits on this replica. */
    int count() {
        return open.size();
    }

    /** Refuses new requests and ends the open ones. */
    @Override
    public void close() {
        closed = true;
        open.forEach(Open::end);
    }
}
