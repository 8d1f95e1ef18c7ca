package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AutoscalingSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code <name>}: scales the agent server Deployment between {@code minReplicas} and
 * {@code maxReplicas} on CPU and, when asked, on open connections per pod (the Pods metric
 * {@code agentserver_connections} served by a custom metrics adapter). Exists only while
 * {@code spec.autoscaling.enabled}; meanwhile the Deployment's replica count is the autoscaler's.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class HorizontalPodAutoscalerDependent extends OwnedDependent<HorizontalPodAutoscaler> {

    public static final String CONNECTIONS_METRIC = "agentserver_connections";

    public HorizontalPodAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class, Component.SERVER);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.autoscaler(owner);
    }

    @Override
    protected HorizontalPodAutoscaler desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    HorizontalPodAutoscaler desired(AgentServer owner) {
        AutoscalingSpec autoscaling = owner.getSpec().getAutoscaling();
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withNewScaleTargetRef()
                        .withApiVersion("apps/v1").withKind("Deployment").withName(ResourceNames.server(owner))
                    .endScaleTargetRef()
                    .withMinReplicas(autoscaling.minReplicasOrDefault())
                    .withMaxReplicas(autoscaling.maxReplicasOrMin())
                    .withMetrics(metrics(autoscaling))
                .endSpec()
                .build();
    }

    private static List<MetricSpec> metrics(AutoscalingSpec autoscaling) {
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(new MetricSpecBuilder()
                .withType("Resource")
                .withNewResource()
                    .withName("cpu")
                    .withNewTarget().withType("Utilization").withAverageUtilization(autoscaling.targetCpuOrDefault()).endTarget()
                .endResource()
                .build());
        if (autoscaling.getTargetConnectionsPerPod() != null) {
            metrics.add(new MetricSpecBuilder()
                    .withType("Pods")
                    .withNewPods()
                        .withNewMetric().withName(CONNECTIONS_METRIC).endMetric()
                        .withNewTarget().withType("AverageValue")
                            .withAverageValue(new Quantity(String.valueOf(autoscaling.getTargetConnectionsPerPod())))
                        .endTarget()
                    .endPods()
                    .build());
        }
        return metrics;
    }
}
