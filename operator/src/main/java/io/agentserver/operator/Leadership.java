package io.agentserver.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this operator replica leads. A standby is healthy and ready without reconciling: if
 * readiness required running informers, a standby would never turn Ready and would block the
 * operator Deployment's own rolling update.
 */
public final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final AtomicBoolean leading;
    private final String identity;

    private Leadership(boolean leading, String identity) {
        this.leading = new AtomicBoolean(leading);
        this.identity = identity;
    }

    /** Without leader election this replica always leads. */
    public static Leadership always() {
        return new Leadership(true, "single");
    }

    /** Leadership decided by the SDK's leader election, reported through {@link #callbacks()}. */
    public static Leadership elected(String identity) {
        return new Leadership(false, identity);
    }

    public boolean isLeading() {
        return leading.get();
    }

    public LeaderCallbacks callbacks() {
        return new LeaderCallbacks(
                () -> {
                    leading.set(true);
                    LOG.info("identity={} leading=true", identity);
                },
                () -> {
                    leading.set(false);
                    LOG.warn("identity={} leading=false", identity);
                },
                leader -> LOG.info("identity={} leader={}", identity, leader));
    }
}
