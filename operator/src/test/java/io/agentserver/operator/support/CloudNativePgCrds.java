package io.agentserver.operator.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Locale;

/** Stand-ins for CloudNativePG's Cluster and ScheduledBackup CRDs (schema-less, with a status subresource). */
public final class CloudNativePgCrds {

    private CloudNativePgCrds() {
    }

    public static void install(KubernetesClient client) {
        create(client, "Cluster", "clusters");
        create(client, "ScheduledBackup", "scheduledbackups");
    }

    private static void create(KubernetesClient client, String kind, String plural) {
        client.resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + ".postgresql.cnpg.io").endMetadata()
                .withNewSpec().withGroup("postgresql.cnpg.io").withScope("Namespaced")
                    .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT)).endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true)
                        .withNewSubresources().withNewStatus().endStatus().endSubresources()
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                            .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion()
                .endSpec().build()).create();
    }
}
