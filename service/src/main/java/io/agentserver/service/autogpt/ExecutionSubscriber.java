package io.agentserver.service.autogpt;

/** A local socket as the {@link ExecutionFanOut} sees it. {@link #deliver} must not block. */
public interface ExecutionSubscriber {

    String connectionId();

    /** The authenticated user; only this user's events are ever delivered. */
    String userId();

    /** Queues {@code frame} (part of {@code event}) for the socket and returns at once. */
    void deliver(IngestedEvent event, EncodedFrame frame);
}
