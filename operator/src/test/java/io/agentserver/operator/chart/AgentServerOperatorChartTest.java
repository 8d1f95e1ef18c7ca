package io.agentserver.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.agentserver.operator.support.ShippedRbac;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart: strict lint, and the objects it renders for several value sets. */
class AgentServerOperatorChartTest {

    @Test
    void passesStrictLint() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultsWatchAllNamespacesWithAClusterRoleAndElectALeader() {
        RenderedChart chart = RenderedChart.render(Map.of());

        Deployment deployment = chart.one(Deployment.class);
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(operator.getImage()).isEqualTo("ghcr.io/agent-server/agent-server-operator:0.1.0");
        assertThat(env(operator, "WATCH_NAMESPACES")).isEmpty();
        assertThat(env(operator, "LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(env(operator, "OPERATOR_SSA")).isEqualTo("true");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                .as("no fixed UID by default (OpenShift restricted-v2)").isNull();
        assertThat(env(operator, "FIXED_USER_IDS")).isEqualTo("true");
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("agent-server-operator");

        assertThat(chart.one(ServiceAccount.class).getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        List<PolicyRule> rules = chart.one(ClusterRole.class).getRules();
        assertThat(rules).extracting(PolicyRule::getResources)
                .containsExactly(List.of("agentservers"), List.of("agentservers/status"), List.of("deployments", "statefulsets"),
                        List.of("services", "secrets"), List.of("configmaps"), List.of("poddisruptionbudgets"),
                        List.of("horizontalpodautoscalers"), List.of("networkpolicies"), List.of("servicemonitors", "podmonitors"),
                        List.of("clusters", "scheduledbackups"), List.of("pods"), List.of("events"));
        assertThat(rules).filteredOn(rule -> rule.getResources().equals(List.of("pods"))).singleElement()
                .satisfies(rule -> assertThat(rule.getVerbs()).as("forced rollback only").containsExactly("get", "delete"));
        assertThat(rules.get(0).getVerbs()).as("the operator never writes the spec").containsExactly("get", "list", "watch");
        assertThat(rules.get(1).getVerbs()).containsExactly("get", "patch");
        assertThat(chart.one(ClusterRoleBinding.class).getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getNamespace()).isEqualTo(RenderedChart.NAMESPACE));
        Role leases = chart.one(Role.class);
        assertThat(leases.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).as("fabric8's LeaseLock renews with PATCH")
                    .containsExactlyInAnyOrder("get", "create", "update", "patch");
        });
        assertThat(chart.one(Service.class).getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(8081));
    }

    @Test
    void theRenderedChartGrantsExactlyWhatTheRbacEnforcedInTheOperatorTestsGrants() {
        ShippedRbac rendered = ShippedRbac.parse(RenderedChart.render(Map.of()).yaml());

        assertThat(rendered.grants()).isEqualTo(ShippedRbac.fromShippedManifest().grants());
        assertThat(rendered.allows("patch", "coordination.k8s.io", "leases", RenderedChart.NAMESPACE, "agent-server-operator"))
                .as("lease renewal").isTrue();
        assertThat(rendered.allows("patch", "coordination.k8s.io", "leases", "elsewhere", "agent-server-operator"))
                .as("leases only in the release namespace").isFalse();
    }

    @Test
    void onOpenShiftNoPodAsksForAUid() {
        RenderedChart chart = RenderedChart.render(Map.of("operands.fixedUserIds", "false"));

        Deployment deployment = chart.one(Deployment.class);
        assertThat(env(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst(), "FIXED_USER_IDS"))
                .isEqualTo("false");
        RenderedChart pinned = RenderedChart.render(Map.of("podSecurityContext.runAsUser", "10001"));
        assertThat(pinned.one(Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                .as("asked for").isEqualTo(10001L);
    }

    @Test
    void watchedNamespacesGetARoleEachAndNoClusterRole() {
        RenderedChart chart = RenderedChart.render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

        assertThat(chart.all(ClusterRole.class)).isEmpty();
        assertThat(chart.all(Role.class)).extracting(role -> role.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b", RenderedChart.NAMESPACE);
        assertThat(chart.all(RoleBinding.class)).hasSize(3);
        Container operator = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(env(operator, "WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
    }

    @Test
    void valuesSetImageLogLevelReplicasAndMetrics() {
        RenderedChart chart = RenderedChart.render(Map.of(
                "image.repository", "registry.example/ops/operator",
                "image.tag", "1.2.3",
                "logLevel", "debug",
                "replicaCount", "2",
                "metrics.serviceMonitor.enabled", "true"));

        Deployment deployment = chart.one(Deployment.class);
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(operator.getImage()).isEqualTo("registry.example/ops/operator:1.2.3");
        assertThat(env(operator, "LOG_LEVEL")).isEqualTo("debug");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(chart.all(GenericKubernetesResource.class)).singleElement()
                .satisfies(monitor -> assertThat(monitor.getKind()).isEqualTo("ServiceMonitor"));
    }

    @Test
    void leaderElectionOffDropsTheLeaseRoleAndForbidsSeveralReplicas() {
        RenderedChart chart = RenderedChart.render(Map.of("leaderElection.enabled", "false"));
        assertThat(chart.all(Role.class)).isEmpty();

        assertThatThrownBy(() -> RenderedChart.render(Map.of("leaderElection.enabled", "false", "replicaCount", "2")))
                .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(EnvVar::getValue).orElseThrow(() -> new AssertionError("no env " + name));
    }
}
