package io.agentserver.service.bus;

import java.time.Duration;

/** Retries an assertion until it passes or the timeout ends (then the last failure is thrown). */
final class Eventually {

    private Eventually() {
    }

    static void assertWithin(Duration timeout, Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
