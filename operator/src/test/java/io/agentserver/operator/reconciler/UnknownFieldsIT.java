package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CRD upgraded before the operator (Helm and GitOps tools often apply CRDs first): an AgentServer carries
 * a field this operator does not know. It must neither stop the operator (an informer that fails to
 * deserialize one object stops delivering every other) nor be refused: the field is ignored, a Warning
 * Event says so, and every AgentServer is reconciled.
 */
class UnknownFieldsIT {

    private MockCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anObjectWithAFieldNewerThanTheOperatorIsReconciledWithAWarningAndSoIsTheNextOrdinaryOne() throws Exception {
        cluster = MockCluster.withCrd();
        cluster.startOperator(Map.of("OPERATOR_SSA", "false", "POD_NAME", "operator-0"), new SimpleMeterRegistry());

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", Samples.IMAGE);
        spec.put("rolloutStrategy", Map.of("canary", true));
        spec.put("service", Map.of("port", 8080, "sessionAffinity", "ClientIP"));
        GenericKubernetesResource newer = new GenericKubernetesResource();
        newer.setApiVersion("agentserver.io/v1alpha1");
        newer.setKind("AgentServer");
        newer.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("newer")
                .withNamespace(MockCluster.NAMESPACE).build());
        newer.setAdditionalProperty("spec", spec);
        cluster.client().resource(newer).create();

        cluster.create(Samples.minimal("ordinary"));

        await("the ordinary AgentServer's Deployment", () -> cluster.get(Deployment.class, "ordinary"), Objects::nonNull);
        await("the newer AgentServer's Deployment", () -> cluster.get(Deployment.class, "newer"), Objects::nonNull);
        Event warning = await("a Warning about the unknown fields", () -> cluster.client().events().v1().events()
                .inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "newer".equals(e.getRegarding().getName()) && "UnknownFields".equals(e.getReason()))
                .findFirst().orElse(null), Objects::nonNull);
        assertThat(warning.getType()).isEqualTo("Warning");
        assertThat(warning.getNote()).contains("spec.rolloutStrategy").contains("spec.service.sessionAffinity")
                .contains("ignored");
        AgentServer read = await("the status of the object with unknown fields", () -> cluster.get("newer"),
                r -> r.getStatus() != null && r.getStatus().getPhase() != null);
        assertThat(read.getStatus().getObservedGeneration()).isEqualTo(read.getMetadata().getGeneration());
    }
}
