package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

/**
 * Watches both connections of a {@link RedisEventBroker}: one WARNING when the pair stops being usable, one INFO
 * and a counted reconnect when both are back, and a callback when the pub/sub connection is back (to re-subscribe).
 * Runs on Lettuce's event loop.
 */
final class RedisConnectionMonitor {

    private static final System.Logger LOG = System.getLogger(RedisConnectionMonitor.class.getName());

    private final String address;
    private final BrokerCounters counters;
    private final Runnable onSubscriberReconnected;
    private boolean subscriberUp = true;
    private boolean publisherUp = true;
    private boolean reportedUp = true;
    private boolean stopped;
    private final ReentrantLock lock = new ReentrantLock();

    RedisConnectionMonitor(String address, BrokerCounters counters, Runnable onSubscriberReconnected) {
        this.address = address;
        this.counters = counters;
        this.onSubscriberReconnected = onSubscriberReconnected;
    }

    /** Starts watching; both connections are assumed up (they just connected). */
    void watch(RedisTransport connections) {
        connections.subscriber().addListener(new Side(true));
        connections.publisher().addListener(new Side(false));
        LOG.log(Level.INFO, "Connected to Redis at {0} (one pub/sub connection, one publish connection{1})", address,
                connections.shards().isPresent() ? ", one pub/sub connection per node holding sharded channels" : "");
    }

    /** Stops reporting: closing the connections is not an outage. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    private void changed(boolean subscriberSide, boolean up) {
        boolean subscriberCameBack;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            subscriberCameBack = subscriberSide && up && !subscriberUp;
            if (subscriberSide) {
                subscriberUp = up;
            } else {
                publisherUp = up;
            }
            boolean nowUp = subscriberUp && publisherUp;
            if (nowUp != reportedUp) {
                reportedUp = nowUp;
                if (nowUp) {
                    counters.reconnected();
                    LOG.log(Level.INFO, "Reconnected to Redis at {0}", address);
                } else {
                    LOG.log(Level.WARNING, "Lost connection to Redis at {0}; reconnecting", address);
                }
            }
        } finally {
            lock.unlock();
        }
        if (subscriberCameBack) {
            onSubscriberReconnected.run();
        }
    }

    private final class Side implements RedisConnectionStateListener {

        private final boolean subscriberSide;

        Side(boolean subscriberSide) {
            this.subscriberSide = subscriberSide;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            changed(subscriberSide, true);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            changed(subscriberSide, false);
        }
    }
}
