package io.agentserver.service.hub;

/** The socket families the service speaks; used to label connections and metrics. */
public enum Protocol {
    XAGENT("xagent"),
    AUTOGPT("autogpt");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
