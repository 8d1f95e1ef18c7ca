package io.agentserver.operator.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A small polling loop with an explicit timeout, instead of an extra test library. */
public final class Eventually {

    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** Polls until the value satisfies the predicate; fails with the last value seen. */
    public static <T> T await(String what, Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                if (done.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            sleep(POLL);
        }
        AssertionError error = new AssertionError("timed out after " + TIMEOUT.toSeconds() + "s waiting for " + what
                + "; last value: " + last);
        if (lastError != null) {
            error.initCause(lastError);
        }
        throw error;
    }

    /** Polls until the assertion passes. */
    public static void untilAsserted(Runnable assertion) {
        await("assertion", () -> {
            try {
                assertion.run();
                return null;
            } catch (AssertionError e) {
                return e;
            }
        }, e -> e == null);
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
