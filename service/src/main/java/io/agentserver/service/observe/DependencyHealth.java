package io.agentserver.service.observe;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of the dependencies readiness depends on, each sampled when a probe or a scrape asks. A
 * dependency that was up and fails is "down since" the first failing sample; readiness fails only once one
 * has been down for the whole {@link HealthSettings#readinessGrace()} (a sustained outage), or when it has
 * never been up on this replica. Every sample is reported as it is: liveness, readiness's body and the
 * metrics {@code agentserver_dependency_up{dependency}} and {@code agentserver_dependency_outages_total}
 * show a blip that readiness rides out.
 */
public final class DependencyHealth {

    /** What one sample found. */
    public record State(String name, boolean up, Optional<Duration> downFor, boolean sustainedOutage) {
    }

    private final List<Tracked> checks;
    private final Duration grace;
    private final Clock clock;
    private final Counter outages;

    public DependencyHealth(List<HealthCheck> checks, HealthSettings settings, Clock clock, PrometheusRegistry registry) {
        this.checks = checks.stream().map(Tracked::new).toList();
        this.grace = settings.readinessGrace();
        this.clock = clock;
        this.outages = Counter.builder().name("agentserver_dependency_outages_total")
                .help("Times a dependency of readiness (database, broker) went from up to down, however short")
                .labelNames("dependency").register(registry);
        GaugeWithCallback.builder()
                .name("agentserver_dependency_up")
                .help("1 while the dependency answered at the last sample (this scrape), else 0")
                .labelNames("dependency")
                .callback(cb -> sample().forEach(state -> cb.call(state.up() ? 1 : 0, state.name())))
                .register(registry);
    }

    /** Samples every dependency now. */
    public List<State> sample() {
        Instant now = clock.instant();
        return checks.stream().map(check -> check.sample(now)).toList();
    }

    /** Ready unless a dependency is in a sustained outage. */
    public static boolean ready(List<State> states) {
        return states.stream().noneMatch(State::sustainedOutage);
    }

    /** One check and when it went down; samples may come from probes and scrapes at once. */
    private final class Tracked {

        private final HealthCheck check;
        private boolean everUp;
        private Instant downSince;

        Tracked(HealthCheck check) {
            this.check = check;
        }

        State sample(Instant now) {
            boolean up = check.up().getAsBoolean();
            synchronized (this) {
                if (up) {
                    everUp = true;
                    downSince = null;
                    return new State(check.name(), true, Optional.empty(), false);
                }
                if (downSince == null) {
                    downSince = now;
                    if (everUp) {
                        outages.labelValues(check.name()).inc();
                    }
                }
                Duration downFor = Duration.between(downSince, now);
                return new State(check.name(), false, Optional.of(downFor), !everUp || downFor.compareTo(grace) >= 0);
            }
        }
    }
}
