package io.agentserver.service.hub;

/**
 * Notices the end of a connection however it ends. Helidon runs a WebSocket connection on its own virtual
 * thread and calls {@code onOpen} on it; an abrupt TCP drop calls neither {@code onClose} nor
 * {@code onError}, but that thread always ends.
 */
public final class ConnectionEnd {

    private ConnectionEnd() {
    }

    /** Call from {@code onOpen}: runs {@code onEnd} once the calling connection thread has finished. */
    public static void watch(String connectionId, Runnable onEnd) {
        Thread connectionThread = Thread.currentThread();
        Thread.ofVirtual().name("ws-watch-" + connectionId).start(() -> {
            try {
                connectionThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            onEnd.run();
        });
    }
}
