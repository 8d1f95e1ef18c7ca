package io.agentserver.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this operator replica leads. A standby is ready without reconciling (if readiness
 * required running informers, a standby would never turn Ready and would block the operator
 * Deployment's own rolling update), but says so: {@code /readyz} answers "standby" and the gauge
 * {@value #GAUGE} is 0. A replica that led and lost its lease reconciles nothing any more and is
 * not ready; in production it exits right after (the SDK's exit on stop leading).
 */
public final class Leadership {

    /** 1 while this replica holds the lease (or runs without leader election), else 0. */
    public static final String GAUGE = "agentserver_operator_leader";

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** Where this replica stands. */
    public enum State {
        /** Waiting for the lease; another replica may be reconciling. */
        STANDBY,
        /** Holds the lease (or runs alone) and reconciles. */
        LEADING,
        /** Held the lease and lost it: reconciles nothing until restarted. */
        LOST
    }

    private final AtomicReference<State> state;
    private final String identity;

    private Leadership(State state, String identity) {
        this.state = new AtomicReference<>(state);
        this.identity = identity;
    }

    /** Without leader election this replica always leads. */
    public static Leadership always() {
        return new Leadership(State.LEADING, "single");
    }

    /** Leadership decided by the SDK's leader election, reported through {@link #callbacks()}. */
    public static Leadership elected(String identity) {
        return new Leadership(State.STANDBY, identity);
    }

    public boolean isLeading() {
        return state.get() == State.LEADING;
    }

    public State state() {
        return state.get();
    }

    /** Publishes {@value #GAUGE}. */
    public void registerGauge(MeterRegistry registry) {
        Gauge.builder(GAUGE, this, leadership -> leadership.isLeading() ? 1 : 0)
                .description("1 while this operator replica holds the leader lease, else 0")
                .tag("identity", identity)
                .register(registry);
    }

    public LeaderCallbacks callbacks() {
        return new LeaderCallbacks(
                () -> {
                    state.set(State.LEADING);
                    LOG.info("identity={} leading=true", identity);
                },
                () -> {
                    state.set(State.LOST);
                    LOG.error("identity={} leading=false reason=\"lost the leader lease (renewal failed or"
                            + " another replica took it); this replica no longer reconciles\"", identity);
                },
                leader -> LOG.info("identity={} leader={}", identity, leader));
    }
}
