package io.agentserver.service.xagent;

/**
 * How far an interaction's live socket got, kept beside the interaction so a client that reconnects, to
 * any replica, continues where it left off.
 */
public interface DeliveryCursor {

    /** The sequence number of the first step the interaction's client has not been sent. */
    long resumeFrom(String interactionId);

    void delivered(String interactionId, long seq);
}
