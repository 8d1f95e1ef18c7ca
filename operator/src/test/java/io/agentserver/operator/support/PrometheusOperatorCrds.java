package io.agentserver.operator.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Locale;

/** Minimal stand-ins for the Prometheus Operator's ServiceMonitor and PodMonitor CRDs (schema-less). */
public final class PrometheusOperatorCrds {

    private PrometheusOperatorCrds() {
    }

    public static void install(KubernetesClient client) {
        create(client, "ServiceMonitor", "servicemonitors");
        create(client, "PodMonitor", "podmonitors");
    }

    private static void create(KubernetesClient client, String kind, String plural) {
        client.resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + ".monitoring.coreos.com").endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                    .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT)).endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true)
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                            .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion()
                .endSpec().build()).create();
    }
}
