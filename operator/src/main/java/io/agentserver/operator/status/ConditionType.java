package io.agentserver.operator.status;

/** The condition types an AgentServer reports. */
public final class ConditionType {

    public static final String READY = "Ready";
    public static final String REDIS_READY = "RedisReady";
    public static final String DATABASE_READY = "DatabaseReady";
    public static final String RECONCILED = "Reconciled";

    private ConditionType() {
    }
}
