package io.agentserver.bench.sut;

/** Publishes one execution event the way the system under test takes it in; never blocks for long. */
public interface Publisher extends AutoCloseable {

    /** {@code event} is the event's JSON, as AutoGPT's executor would put it under {@code payload}. */
    void publish(String user, String graph, String exec, String event);

    /** Publishes that failed (counted, never thrown). */
    long failures();

    @Override
    void close();
}
