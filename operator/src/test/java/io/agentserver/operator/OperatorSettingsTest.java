package io.agentserver.operator;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
