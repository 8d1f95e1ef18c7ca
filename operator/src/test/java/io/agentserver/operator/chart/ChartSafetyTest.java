package io.agentserver.operator.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values that used to render something unsafe or invalid, and the operator's own disruption budget. */
class ChartSafetyTest {

    @Test
    void withoutCreatingTheServiceAccountANameIsRequiredNeverTheNamespacesDefault() {
        assertThatThrownBy(() -> RenderedChart.render(Map.of("serviceAccount.create", "false")))
                .hasMessageContaining("serviceAccount.name is required when serviceAccount.create=false");

        RenderedChart chart = RenderedChart.render(Map.of("serviceAccount.create", "false", "serviceAccount.name", "ops-bot"));
        assertThat(chart.one(ClusterRoleBinding.class).getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo("ops-bot"));
        assertThat(chart.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ops-bot");
    }

    @Test
    void emptyDashboardLabelsRenderValidYaml() {
        RenderedChart emptied = RenderedChart.renderValues(
                "grafanaDashboard:\n  enabled: true\n  labels:\n    grafana_dashboard: null\n");
        RenderedChart empty = RenderedChart.renderValues("grafanaDashboard:\n  enabled: true\n  labels: {}\n");

        assertThat(emptied.named(ConfigMap.class, "agent-server-operator-dashboard").orElseThrow().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "agent-server-operator").doesNotContainKey("grafana_dashboard");
        assertThat(empty.named(ConfigMap.class, "agent-server-operator-dashboard")).isPresent();
    }

    @Test
    void aStringForWatchNamespacesIsRefusedByTheValuesSchema() {
        assertThatThrownBy(() -> RenderedChart.renderValues("watchNamespaces: team-a,team-b\n"))
                .hasMessageContaining("watchNamespaces").hasMessageContaining("array");
        assertThatThrownBy(() -> RenderedChart.renderValues("replicaCount: two\n")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> RenderedChart.renderValues("serviceAcount:\n  create: false\n"))
                .as("a misspelt key").hasMessageContaining("serviceAcount");
    }

    @Test
    void theNoLeaderAlertExistsOnlyWhereTheServiceMonitorGivesTheOperatorsSeriesTheirNamespace() {
        RenderedChart without = RenderedChart.render(Map.of("prometheusRules.enabled", "true"));
        RenderedChart with = RenderedChart.render(Map.of("prometheusRules.enabled", "true",
                "metrics.serviceMonitor.enabled", "true"));

        assertThat(alertNames(without)).doesNotContain("AgentServerOperatorNoLeader").contains("AgentServerNotReady");
        assertThat(alertNames(with)).contains("AgentServerOperatorNoLeader");
        assertThat(without.yaml()).as("the instance gauge's own labels, not Prometheus's namespace")
                .contains("{{ $labels.agentserver_namespace }}/{{ $labels.agentserver_name }}");
    }

    @Test
    void theOperatorHasADisruptionBudgetAndThePodTemplatePolicyIsPassedOn() {
        RenderedChart chart = RenderedChart.render(Map.of("replicaCount", "2", "podTemplates.unrestricted", "true"));

        PodDisruptionBudget budget = chart.one(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(chart.one(Deployment.class).getSpec().getSelector().getMatchLabels());
        assertThat(chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(env -> assertThat(env.getName() + "=" + env.getValue()).isEqualTo("UNRESTRICTED_POD_TEMPLATES=true"));
        assertThat(RenderedChart.render(Map.of("podDisruptionBudget.enabled", "false")).all(PodDisruptionBudget.class)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertNames(RenderedChart chart) {
        GenericKubernetesResource rule = chart.all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) rule.getAdditionalProperties()
                .get("spec")).get("groups");
        return groups.stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .map(r -> (String) r.get("alert")).toList();
    }
}
