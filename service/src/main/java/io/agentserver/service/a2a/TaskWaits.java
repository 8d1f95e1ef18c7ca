package io.agentserver.service.a2a;

import io.agentserver.service.hub.ConnectionWork;
import io.agentserver.service.stream.StepCursor;
import io.agentserver.service.stream.StepFeed;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** Waits, on the caller's thread, until a task's log from a position on shows it settled ({@link TaskWatch}). */
final class TaskWaits {

    private final StepFeed feed;
    private final AtomicLong ids = new AtomicLong();

    TaskWaits(StepFeed feed) {
        this.feed = feed;
    }

    /**
     * @param fromSeq        the first step that counts
     * @param settlesOnInput whether a step that waits for a human ends the wait (else only the task's end)
     * @param open           ends the wait early when the server drains
     * @return false when {@code timeout} passed first
     */
    boolean await(String taskId, long fromSeq, boolean settlesOnInput, Duration timeout, OpenHandle open) {
        TaskWatch watch = new TaskWatch(settlesOnInput);
        open.onEnd(() -> watch.settled().complete(null));
        ConnectionWork work = new ConnectionWork("a2a-wait-" + ids.incrementAndGet());
        try (StepCursor ignored = feed.open(taskId, fromSeq, watch, work)) {
            watch.settled().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
