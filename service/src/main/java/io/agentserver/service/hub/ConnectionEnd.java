package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices the end of a connection however it ends. Helidon runs a WebSocket connection on its own virtual
 * thread and calls {@code onOpen} on it; an abrupt TCP drop calls neither {@code onClose} nor
 * {@code onError}, but that thread always ends. One scanner per registry looks at the watched connection
 * threads every {@link #SCAN_INTERVAL} while any are watched, instead of a thread per connection joining its
 * connection thread (a parked virtual thread and its stack for every idle socket).
 */
final class ConnectionEnd {

    /** How late a TCP drop may be noticed; 10,000 watched sockets cost a scan of ~10,000 reads per interval. */
    static final Duration SCAN_INTERVAL = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(ConnectionEnd.class.getName());

    private record Watch(Thread connectionThread, Runnable onEnd) {
    }

    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scanning = new AtomicBoolean();

    /** Call from {@code onOpen}: runs {@code onEnd} once the calling connection thread has finished. */
    void watch(Runnable onEnd) {
        watched.add(new Watch(Thread.currentThread(), onEnd));
        if (scanning.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ws-ends").start(this::scan);
        }
    }

    private void scan() {
        while (true) {
            try {
                Thread.sleep(SCAN_INTERVAL);
            } catch (InterruptedException e) {
                LOG.log(Level.DEBUG, "connection end scanner interrupted; a new one starts with the next watch");
                scanning.set(false);
                return;
            }
            for (Watch watch : watched) {
                if (!watch.connectionThread().isAlive() && watched.remove(watch)) {
                    Thread.ofVirtual().name("ws-end").start(watch.onEnd());
                }
            }
            if (watched.isEmpty()) {
                scanning.set(false);
                // A watch that came in after the check above found the scanner still running: go on for it.
                if (watched.isEmpty() || !scanning.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
