package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.agent.upstream.UpstreamStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open SSE answer read by a virtual thread of its own, so that the run's thread can wait for the next event
 * with a limit (idle timeout, stop checks). The queue is small: a fast remote waits on TCP, not on our heap.
 */
final class EventStream implements AutoCloseable {

    /** What the reader saw next. */
    sealed interface Item {
        /** One event's data, and the last event id the stream set, if any. */
        record Data(String data, Optional<String> lastEventId) implements Item {
        }

        /** The stream ended; {@code problem} says why when it broke (empty: the server closed it). */
        record End(Optional<String> problem) implements Item {
        }
    }

    private static final int QUEUE = 16;

    private final UpstreamStream opened;
    private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;
    private boolean ended;

    EventStream(UpstreamStream opened, long maxEventBytes, String agent) {
        this.opened = opened;
        SseReader reader = new SseReader(new BufferedInputStream(opened.body()), maxEventBytes);
        Thread.ofVirtual().name("a2a-stream-" + agent).start(() -> read(reader));
    }

    /** The next item, or empty when none came within {@code wait}. After an {@link Item.End} it is ended again. */
    Optional<Item> next(Duration wait) throws InterruptedException {
        if (ended) {
            return Optional.of(new Item.End(Optional.empty()));
        }
        Item item = items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (item instanceof Item.End) {
            ended = true;
        }
        return Optional.ofNullable(item);
    }

    @Override
    public void close() {
        closed = true;
        opened.close();
        items.clear();
    }

    private void read(SseReader reader) {
        Item end;
        try {
            while (true) {
                Optional<SseReader.Event> event = reader.next();
                if (event.isEmpty()) {
                    end = new Item.End(Optional.empty());
                    break;
                }
                if (!put(new Item.Data(event.get().data(), event.get().lastEventId()))) {
                    return;
                }
            }
        } catch (SseReader.TooLarge e) {
            end = new Item.End(Optional.of(e.getMessage()));
        } catch (IOException e) {
            end = new Item.End(Optional.of(closed ? "closed" : "the connection broke (" + e.getClass().getSimpleName() + ")"));
        } catch (UpstreamFailure e) {
            // the upstream client's own words for a broken connection (already counted)
            end = new Item.End(Optional.of(closed ? "closed" : e.getMessage()));
        }
        put(end);
    }

    /** Queues {@code item} unless the stream was closed meanwhile; false when it was. */
    private boolean put(Item item) {
        try {
            while (!closed) {
                if (items.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
