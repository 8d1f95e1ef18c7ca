package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How an agent server pod stops during a rollout or a node drain. Kubernetes removes a terminating pod
 * from the Service's endpoints while it already runs the pod's preStop hook; the preStop pause keeps the
 * pod serving until every proxy and load balancer stopped sending it new connections, then SIGTERM starts
 * the drain (every socket closed with 1001 "going away", clients reconnect elsewhere). The grace period
 * covers both with a margin, so the kubelet never kills a pod mid-drain (clients would see 1006).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ShutdownSpec {

    public static final int DEFAULT_PRE_STOP_SECONDS = 10;
    public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 10;
    /** Time for the JVM to exit after the drain: stores and broker closed. */
    public static final int EXIT_MARGIN_SECONDS = 5;

    @Default("10")
    @Min(0)
    @Max(300)
    @JsonPropertyDescription("Seconds a stopping pod keeps serving before SIGTERM, while endpoints stop routing to it"
            + " (a preStop sleep; needs Kubernetes 1.30+); 0: no preStop")
    private Integer preStopSeconds;

    @Default("10")
    @Min(1)
    @Max(600)
    @JsonPropertyDescription("Seconds the server's drain may take after SIGTERM (shutdown.drain-timeout): sockets"
            + " closed with 1001, runs ended, stores closed")
    private Integer drainTimeoutSeconds;

    public Integer getPreStopSeconds() { return preStopSeconds; }
    public void setPreStopSeconds(Integer preStopSeconds) { this.preStopSeconds = preStopSeconds; }
    public Integer getDrainTimeoutSeconds() { return drainTimeoutSeconds; }
    public void setDrainTimeoutSeconds(Integer drainTimeoutSeconds) { this.drainTimeoutSeconds = drainTimeoutSeconds; }

    public int preStopSecondsOrDefault() {
        return preStopSeconds == null ? DEFAULT_PRE_STOP_SECONDS : preStopSeconds;
    }

    public int drainTimeoutSecondsOrDefault() {
        return drainTimeoutSeconds == null ? DEFAULT_DRAIN_TIMEOUT_SECONDS : drainTimeoutSeconds;
    }

    /** preStop + drain + exit margin: the kubelet sends SIGKILL only after all three. */
    public long terminationGracePeriodSeconds() {
        return (long) preStopSecondsOrDefault() + drainTimeoutSecondsOrDefault() + EXIT_MARGIN_SECONDS;
    }
}
