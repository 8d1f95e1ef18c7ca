package io.agentserver.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorSettingsTest {

    @Test
    void defaultsToServerSideApplyAllNamespacesAndNoLeaderElection() {
        OperatorSettings settings = OperatorSettings.from(Map.of());

        assertThat(settings.serverSideApply()).isTrue();
        assertThat(settings.watchedNamespaces()).isEmpty();
        assertThat(settings.leaderElection()).isFalse();
        assertThat(settings.leaseName()).isEqualTo("agent-server-operator");
        assertThat(settings.httpPort()).isEqualTo(8081);
        assertThat(settings.logLevel()).isEqualTo("info");
        assertThat(settings.leaseTimings()).isEqualTo(new OperatorSettings.LeaseTimings(Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    @Test
    void readsLeaseTimingsAndRefusesInconsistentOnes() {
        OperatorSettings settings = OperatorSettings.from(Map.of("LEADER_ELECTION_LEASE_DURATION", "PT30S",
                "LEADER_ELECTION_RENEW_DEADLINE", "PT20S", "LEADER_ELECTION_RETRY_PERIOD", "PT4S"));

        assertThat(settings.leaseTimings().leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.leaseTimings().renewDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.leaseTimings().retryPeriod()).isEqualTo(Duration.ofSeconds(4));
        assertThatThrownBy(() -> OperatorSettings.from(Map.of("LEADER_ELECTION_RENEW_DEADLINE", "PT20S")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease duration > renew deadline");
    }

    @Test
    void readsEveryVariable() {
        OperatorSettings settings = OperatorSettings.from(Map.of(
                "OPERATOR_SSA", "false",
                "WATCH_NAMESPACES", " team-a, team-b ,",
                "LEADER_ELECTION_ENABLED", "true",
                "POD_NAMESPACE", "ops",
                "POD_NAME", "operator-0",
                "HTTP_PORT", "9090",
                "LOG_LEVEL", "debug"));

        assertThat(settings.serverSideApply()).isFalse();
        assertThat(settings.watchedNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.leaseNamespace()).isEqualTo("ops");
        assertThat(settings.identity()).isEqualTo("operator-0");
        assertThat(settings.httpPort()).isEqualTo(9090);
        assertThat(settings.logLevel()).isEqualTo("debug");
    }
}
