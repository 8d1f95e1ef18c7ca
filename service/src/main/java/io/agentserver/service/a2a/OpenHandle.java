package io.agentserver.service.a2a;

import io.agentserver.service.hub.Connection;

/**
 * One A2A request that stays open (a stream, or a send or cancel that waits) as the connection registry counts it:
 * closing it (the server draining) ends it soon — what that does is set once the request knows (finish its stream,
 * stop its wait).
 */
final class OpenHandle implements Connection.Session {

    private Runnable ender;
    private boolean ended;

    /** Sets what ending does; runs it at once when the request was ended already. */
    void onEnd(Runnable action) {
        boolean now;
        synchronized (this) {
            ender = action;
            now = ended;
        }
        if (now) {
            action.run();
        }
    }

    /** The registry's close (a drain): the stream finishes after what is queued, a wait answers the task as it is. */
    @Override
    public void close(int code, String reason, boolean clean) {
        Runnable action;
        synchronized (this) {
            ended = true;
            action = ender;
        }
        if (action != null) {
            action.run();
        }
    }
}
