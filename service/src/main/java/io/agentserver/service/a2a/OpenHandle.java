package io.agentserver.service.a2a;

/**
 * One open request (a stream or a blocking send) as {@link OpenRequests} counts it; what ending it early does is
 * set once the request knows (finish its stream, stop its wait).
 */
final class OpenHandle implements OpenRequests.Open {

    private Runnable ender;
    private boolean ended;

    /** Sets what {@link #end} does; runs it at once when the request was ended already. */
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

    @Override
    public void end() {
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
