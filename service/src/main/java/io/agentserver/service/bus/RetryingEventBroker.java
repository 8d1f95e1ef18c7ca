package io.agentserver.service.bus;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A broker whose {@link #publish} does not lose a message to a short outage. A PUBLISH the transport did not take
 * is queued (bounded) and retried with exponential back-off by one virtual thread, for at most
 * {@code retryFor} since it was queued; every later PUBLISH queues behind it while any is waiting, so one
 * publisher's messages keep their order. A message that still could not be sent is dropped and counted: readers
 * re-read the store on their own timers, so a dropped notice costs a bounded delay, never a lost step.
 *
 * <p>The same holds for {@link #broadcast} and {@link #publishSharded}, in one queue: their order relative to each
 * other is kept too. Subscriptions go straight to the transport.
 */
public final class RetryingEventBroker implements EventBroker {

    private static final System.Logger LOG = System.getLogger(RetryingEventBroker.class.getName());
    static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(50);
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(1);

    /** Which of the broker's publish commands a message was given to. */
    private enum Command {
        PUBLISH, BROADCAST, SHARDED;

        boolean send(EventBroker transport, String channel, String message) {
            return switch (this) {
                case PUBLISH -> transport.publish(channel, message);
                case BROADCAST -> transport.broadcast(channel, message);
                case SHARDED -> transport.publishSharded(channel, message);
            };
        }
    }

    private record Pending(Command command, String channel, String message, long queuedAt) {
    }

    private final EventBroker transport;
    private final Duration retryFor;
    private final BlockingQueue<Pending> queue;
    /** Messages queued or being retried: while any is, new ones queue behind them. */
    private final AtomicInteger unsent = new AtomicInteger();
    private final LongAdder retried = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread drainer;
    private volatile boolean closed;

    public RetryingEventBroker(EventBroker transport, Duration retryFor, int queueSize) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.retryFor = Objects.requireNonNull(retryFor, "retryFor");
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.drainer = Thread.ofVirtual().name("bus-publish-retry").start(this::drain);
    }

    /** @return true when sent or queued for retry; false when the queue is full or the broker closed */
    @Override
    public boolean publish(String channel, String message) {
        return publish(Command.PUBLISH, channel, message);
    }

    @Override
    public boolean broadcast(String channel, String message) {
        return publish(Command.BROADCAST, channel, message);
    }

    @Override
    public boolean publishSharded(String channel, String message) {
        return publish(Command.SHARDED, channel, message);
    }

    private boolean publish(Command command, String channel, String message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        if (closed) {
            return false;
        }
        if (unsent.get() == 0 && command.send(transport, channel, message)) {
            return true;
        }
        unsent.incrementAndGet();
        if (!queue.offer(new Pending(command, channel, message, System.nanoTime()))) {
            unsent.decrementAndGet();
            dropped.increment();
            LOG.log(Level.WARNING, "PUBLISH dropped: retry queue full channel=" + channel);
            return false;
        }
        return true;
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return transport.subscribe(channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        return transport.subscribePattern(pattern, listener);
    }

    @Override
    public Subscription subscribeSharded(String channel, MessageListener listener) {
        return transport.subscribeSharded(channel, listener);
    }

    @Override
    public boolean isHealthy() {
        return transport.isHealthy();
    }

    @Override
    public BrokerStats stats() {
        return transport.stats();
    }

    /** Messages waiting for a retry now. */
    public int waiting() {
        return unsent.get();
    }

    /** Messages that were sent only after at least one retry. */
    public long retried() {
        return retried.sum();
    }

    /** Messages given up on (queue full, or still unsent after the retry period). */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        closed = true;
        drainer.interrupt();
        transport.close();
    }

    private void drain() {
        while (!closed) {
            Pending next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            boolean sent;
            try {
                sent = send(next);
            } finally {
                // before counting: once a drop is visible, a new PUBLISH no longer queues behind the dropped one
                unsent.decrementAndGet();
            }
            if (sent) {
                retried.increment();
            } else if (!closed) {
                dropped.increment();
                LOG.log(Level.WARNING, "PUBLISH dropped after retrying for " + retryFor.toSeconds()
                        + " s channel=" + next.channel() + "; readers catch up from the store");
            }
        }
    }

    private boolean send(Pending pending) {
        Duration left = retryFor.minusNanos(System.nanoTime() - pending.queuedAt());
        if (left.isNegative() || left.isZero()) {
            return false;
        }
        RetryPolicy<Boolean> policy = RetryPolicy.<Boolean>builder()
                .handleResult(false)
                .abortIf((Boolean result) -> closed)
                .withBackoff(FIRST_RETRY_DELAY, MAX_RETRY_DELAY)
                .withMaxRetries(-1)
                .withMaxDuration(left)
                .build();
        try {
            return Failsafe.with(policy).get(() -> !closed
                    && pending.command().send(transport, pending.channel(), pending.message()));
        } catch (FailsafeException e) {
            return false;
        }
    }
}
