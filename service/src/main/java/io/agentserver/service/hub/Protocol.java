package io.agentserver.service.hub;

/** The connection families the service speaks (sockets and event streams); used to label connections and metrics. */
public enum Protocol {
    XAGENT("xagent"),
    AUTOGPT("autogpt"),
    /** AG-UI event streams (Server-Sent Events over HTTP); they share the per-user connection cap. */
    AGUI("agui"),
    /** A2A task streams and requests that wait (a blocking send, a cancel); they share the per-user connection cap. */
    A2A("a2a");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
