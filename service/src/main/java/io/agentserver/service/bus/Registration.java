package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/** One listener registered once; {@link #deliver} shields the broker from the listener's exceptions. */
final class Registration {

    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    private final MessageListener listener;
    private final AtomicBoolean active = new AtomicBoolean(true);

    Registration(MessageListener listener) {
        this.listener = listener;
    }

    /** Calls the listener unless its subscription was closed; returns false if the listener threw. */
    boolean deliver(String channel, String message) {
        if (!active.get()) {
            return true;
        }
        try {
            listener.onMessage(channel, message);
            return true;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            LOG.log(Level.WARNING, "Listener " + listener.getClass().getName() + " failed on channel " + channel, e);
            return false;
        }
    }

    /** Tells the listener it may have missed messages while the transport was away. */
    void resubscribed() {
        if (!active.get()) {
            return;
        }
        try {
            listener.resubscribed();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Listener " + listener.getClass().getName() + " failed after a resubscribe", e);
        }
    }

    /** Marks the registration closed; returns true only the first time. */
    boolean deactivate() {
        return active.compareAndSet(true, false);
    }
}
