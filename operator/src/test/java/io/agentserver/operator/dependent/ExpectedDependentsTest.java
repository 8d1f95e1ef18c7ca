package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AutoscalingSpec;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.api.MonitoringSpec;
import io.agentserver.operator.api.NetworkPolicySpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Desired objects of the autoscaler, the backends' NetworkPolicies and the scrape monitors. */
class ExpectedDependentsTest {

    @Test
    void autoscalerTargetsTheServerDeploymentOnCpu() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 8));

        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerDependent().desired(resource);

        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("demo");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(AutoscalingSpec.DEFAULT_CPU_UTILIZATION);
        });
    }

    @Test
    void autoscalerAlsoScalesOnConnectionsPerPodWhenAsked() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 8));
        resource.getSpec().getAutoscaling().setTargetConnectionsPerPod(500);

        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerDependent().desired(resource);

        assertThat(hpa.getSpec().getMetrics()).hasSize(2).last().satisfies(metric -> {
            assertThat(metric.getType()).isEqualTo("Pods");
            assertThat(metric.getPods().getMetric().getName()).isEqualTo("agentserver_connections");
            assertThat(metric.getPods().getTarget().getAverageValue().toString()).isEqualTo("500");
        });
    }

    @Test
    void backendPoliciesAdmitOnlyThisInstancesServerPodsOnTheBackendPort() {
        AgentServer resource = Samples.managed("demo");

        NetworkPolicy redis = new RedisNetworkPolicyDependent().desired(resource);
        NetworkPolicy postgres = new PostgresNetworkPolicyDependent().desired(resource);

        assertThat(redis.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(resource, Component.REDIS));
        assertThat(postgres.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(resource, Component.POSTGRES));
        for (NetworkPolicy policy : List.of(redis, postgres)) {
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule ->
                    assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                        assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(resource, Component.SERVER));
                        assertThat(peer.getNamespaceSelector()).as("same namespace only").isNull();
                    }));
        }
        assertThat(redis.getSpec().getIngress().getFirst().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(6379));
        assertThat(postgres.getSpec().getIngress().getFirst().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(5432));
    }

    @Test
    void extraRedisClientsSuchAsAutogptExecutorsAreAdmittedToo() {
        AgentServer resource = Samples.managed("demo");
        NetworkPolicySpec policy = new NetworkPolicySpec();
        policy.setRedisClients(List.of(new NetworkPolicyPeerBuilder()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "autogpt-executor")).build()).build()));
        resource.getSpec().setNetworkPolicy(policy);

        NetworkPolicy redis = new RedisNetworkPolicyDependent().desired(resource);

        assertThat(redis.getSpec().getIngress().getFirst().getFrom()).hasSize(2).last()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app", "autogpt-executor"));
        assertThat(new PostgresNetworkPolicyDependent().desired(resource).getSpec().getIngress().getFirst().getFrom()).hasSize(1);
    }

    @Test
    void monitorsScrapeMetricsOnTheHttpPortOfThisInstancesServerPods() {
        AgentServer resource = Samples.managed("demo");
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        monitoring.setLabels(Map.of("release", "prometheus"));
        resource.getSpec().setMonitoring(monitoring);

        GenericKubernetesResource service = new ServiceMonitorDependent().desired(resource);
        GenericKubernetesResource pod = new PodMonitorDependent().desired(resource);

        assertThat(service.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(service.getKind()).isEqualTo(MonitorKind.ServiceMonitor.name());
        assertThat(pod.getKind()).isEqualTo(MonitorKind.PodMonitor.name());
        assertThat(service.getMetadata().getLabels()).containsEntry("release", "prometheus").containsEntry(Labels.INSTANCE, "demo");
        assertThat((Object) service.get("spec", "selector", "matchLabels")).isEqualTo(Labels.selector(resource, Component.SERVER));
        assertThat((Object) service.get("spec", "namespaceSelector", "matchNames")).isEqualTo(List.of("agents"));
        assertThat((Object) service.get("spec", "endpoints")).isEqualTo(List.of(Map.of("port", "http", "path", "/metrics",
                "interval", "30s")));
        assertThat((Object) pod.get("spec", "podMetricsEndpoints")).isEqualTo(List.of(Map.of("port", "http", "path", "/metrics",
                "interval", "30s")));
    }
}
