package io.agentserver.operator.model;

/** The parts of one AgentServer; each owned object belongs to exactly one. */
public enum Component {
    SERVER("server"),
    CREDENTIALS("credentials"),
    REDIS("redis"),
    POSTGRES("postgres"),
    /** The CloudNativePG Cluster and ScheduledBackup. */
    DATABASE("database");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    /** Value of the {@code app.kubernetes.io/component} label. */
    public String label() {
        return label;
    }
}
