package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;

/** Names of the objects owned by one AgentServer, all in its namespace. */
public final class ResourceNames {

    public static final String HASH_ANNOTATION = "agentserver.io/config-hash";
    public static final int CONTAINER_PORT = 8080;
    public static final int REDIS_PORT = 6379;
    public static final int POSTGRES_PORT = 5432;
    public static final String POSTGRES_DATABASE = "agentserver";
    public static final String POSTGRES_USER = "agentserver";

    /** Keys of the generated credentials Secret. */
    public static final String JWT_SECRET_KEY = "jwt-secret";
    public static final String REDIS_PASSWORD_KEY = "redis-password";
    public static final String POSTGRES_PASSWORD_KEY = "postgres-password";

    private ResourceNames() {
    }

    /** The agent server Deployment, Service and PodDisruptionBudget. */
    public static String server(AgentServer owner) {
        return owner.getMetadata().getName();
    }

    public static String config(AgentServer owner) {
        return owner.getMetadata().getName() + "-config";
    }

    public static String credentials(AgentServer owner) {
        return owner.getMetadata().getName() + "-credentials";
    }

    /** The managed Redis Deployment and Service. */
    public static String redis(AgentServer owner) {
        return owner.getMetadata().getName() + "-redis";
    }

    /** The managed PostgreSQL StatefulSet, Service and connection Secret. */
    public static String postgres(AgentServer owner) {
        return owner.getMetadata().getName() + "-postgres";
    }

    /** The in-cluster WebSocket base url; clients append /ws (AutoGPT) or /ws/base/{id} (XAgent). */
    public static String endpoint(AgentServer owner) {
        return "ws://" + server(owner) + "." + owner.getMetadata().getNamespace() + ".svc:"
                + owner.getSpec().serviceOrDefault().portOrDefault();
    }

    /** The agent server pods' label selector as a string, for the scale subresource's status. */
    public static String serverSelector(AgentServer owner) {
        return Labels.selector(owner, Component.SERVER).entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue())
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** The HorizontalPodAutoscaler of the agent server Deployment. */
    public static String autoscaler(AgentServer owner) {
        return server(owner);
    }

    /** The ServiceMonitor or PodMonitor of the agent server. */
    public static String monitor(AgentServer owner) {
        return server(owner);
    }

    /** The CloudNativePG Cluster; CloudNativePG derives {@code -rw}, {@code -app} and its pods from it. */
    public static String cloudNativePg(AgentServer owner) {
        return owner.getMetadata().getName() + "-pg";
    }

    /** The ScheduledBackup of the CloudNativePG Cluster. */
    public static String cloudNativePgBackup(AgentServer owner) {
        return cloudNativePg(owner) + "-backup";
    }

    /** The Secret CloudNativePG writes for the application's database owner (username, password, …). */
    public static String cloudNativePgAppSecret(AgentServer owner) {
        return cloudNativePg(owner) + "-app";
    }

    /** The read-write Service CloudNativePG keeps pointed at the current primary. */
    public static String cloudNativePgJdbcUrl(AgentServer owner) {
        return "jdbc:postgresql://" + cloudNativePg(owner) + "-rw:" + POSTGRES_PORT + "/" + POSTGRES_DATABASE;
    }

    public static String managedJdbcUrl(AgentServer owner) {
        return "jdbc:postgresql://" + postgres(owner) + ":" + POSTGRES_PORT + "/" + POSTGRES_DATABASE;
    }
}
