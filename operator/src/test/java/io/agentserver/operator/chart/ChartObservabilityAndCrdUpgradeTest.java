package io.agentserver.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's CRD upgrade path, its PrometheusRule and its Grafana dashboard. */
class ChartObservabilityAndCrdUpgradeTest {

    private static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/agentservers.agentserver.io-v1.yml");

    @Test
    void crdUpgradeRendersTheGeneratedCrdAsATemplateKeptOnUninstall() throws IOException {
        CustomResourceDefinition generated = new KubernetesSerialization().unmarshal(Files.readString(GENERATED_CRD),
                CustomResourceDefinition.class);

        CustomResourceDefinition templated = RenderedChart.render(Map.of("crds.upgrade", "true"))
                .one(CustomResourceDefinition.class);

        assertThat(templated.getMetadata().getName()).isEqualTo("agentservers.agentserver.io");
        assertThat(templated.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(templated.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
        assertThat(templated.getSpec()).as("the same schema, rules and subresources as crds/").isEqualTo(generated.getSpec());
    }

    @Test
    void withoutCrdUpgradeOnlyCrdsDirectoryCarriesTheCrd() {
        assertThat(RenderedChart.render(Map.of()).all(CustomResourceDefinition.class)).isEmpty();
    }

    @Test
    void prometheusRulesAlertOnNoLeaderNotReadySlowConsumersAndReapedRuns() {
        RenderedChart chart = RenderedChart.render(Map.of("prometheusRules.enabled", "true",
                "prometheusRules.labels.release", "prometheus", "metrics.serviceMonitor.enabled", "true"));

        GenericKubernetesResource rule = chart.all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
        Map<String, String> alerts = alerts(rule);
        assertThat(alerts).containsOnlyKeys("AgentServerOperatorNoLeader", "AgentServerNotReady",
                "AgentServerSlowConsumerCloses", "AgentServerRunsReaped");
        assertThat(alerts.get("AgentServerOperatorNoLeader"))
                .contains("max(agentserver_operator_leader{namespace=\"" + RenderedChart.NAMESPACE + "\"}) < 1")
                .contains("absent(agentserver_operator_leader");
        assertThat(alerts.get("AgentServerNotReady")).isEqualTo("agentserver_instance_ready == 0");
        assertThat(alerts.get("AgentServerSlowConsumerCloses")).contains("rate(agentserver_slow_consumer_closes_total[5m])");
        assertThat(alerts.get("AgentServerRunsReaped")).isEqualTo("sum by (namespace) (increase(agentserver_runs_reaped_total[15m])) > 0");
        assertThat(chart.yaml()).as("Prometheus templates survive Helm's own templating")
                .contains("AgentServer {{ $labels.agentserver_namespace }}/{{ $labels.agentserver_name }} is not Ready");
    }

    @Test
    void grafanaDashboardIsAConfigMapForTheSidecarWithPanelsOnTheServiceMetrics() throws IOException {
        RenderedChart chart = RenderedChart.render(Map.of("grafanaDashboard.enabled", "true"));

        ConfigMap dashboard = chart.named(ConfigMap.class, "agent-server-operator-dashboard").orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("agent-server.json"));
        assertThat(json.get("uid").asText()).isEqualTo("agent-server");
        List<String> titles = json.get("panels").findValuesAsText("title");
        assertThat(titles).containsExactly("Open connections", "Deliveries (frames written per second)",
                "Step latency (emitted to written)", "Runs");
        String queries = String.join("\n", json.get("panels").findValuesAsText("expr"));
        assertThat(queries).contains("agentserver_connections", "agentserver_frames_out_total",
                "agentserver_step_latency_seconds_bucket", "agentserver_runs_active", "agentserver_runs_total");
    }

    @Test
    void everythingOnRendersTogether() {
        // helm-java's lint takes no values; rendering with every option on is the check that the templates parse
        RenderedChart chart = RenderedChart.render(Map.of("crds.upgrade", "true", "prometheusRules.enabled", "true",
                "grafanaDashboard.enabled", "true", "metrics.serviceMonitor.enabled", "true"));

        assertThat(chart.all(CustomResourceDefinition.class)).hasSize(1);
        assertThat(chart.all(GenericKubernetesResource.class)).extracting(GenericKubernetesResource::getKind)
                .containsExactlyInAnyOrder("PrometheusRule", "ServiceMonitor");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> alerts(GenericKubernetesResource rule) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) rule.getAdditionalProperties()
                .get("spec")).get("groups");
        Map<String, String> alerts = new java.util.LinkedHashMap<>();
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) r.get("alert"), String.valueOf(r.get("expr")));
            }
        }
        return alerts;
    }
}
