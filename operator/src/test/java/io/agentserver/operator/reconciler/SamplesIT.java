package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.model.SecretReference;
import io.agentserver.operator.model.ServerEnvironment;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.PrometheusOperatorCrds;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every AgentServer in {@code k8s/samples/} is reconciled by the operator on the mock API server:
 * with the Secrets its header says to create (placeholders here) and the Prometheus Operator's CRDs
 * installed, it gets its Deployment and reaches Progressing (not Failed or Degraded).
 */
class SamplesIT {

    private static final Path SAMPLES = Path.of("../k8s/samples");

    private MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.withOperator();
        PrometheusOperatorCrds.install(cluster.client());
        io.agentserver.operator.support.CloudNativePgCrds.install(cluster.client());
    }

    @AfterEach
    void stop() {
        List<String> refused = cluster.refusedByRbac();
        cluster.close();
        assertThat(refused).as("requests the shipped RBAC refused").isEmpty();
    }

    @Test
    void everySampleIsReconciledToProgressing() throws IOException {
        List<AgentServer> samples = samples();
        assertThat(samples).extracting(r -> r.getMetadata().getName()).contains("assistants", "scaled", "chat");

        for (AgentServer sample : samples) {
            for (SecretReference ref : new ServerEnvironment(sample).userSecrets()) {
                createSecretKey(ref);
            }
            sample.getMetadata().setNamespace(MockCluster.NAMESPACE);
            cluster.create(sample);
        }
        for (AgentServer sample : samples) {
            String name = sample.getMetadata().getName();
            await("Deployment of sample " + name, () -> cluster.get(Deployment.class, name), Objects::nonNull);
            AgentServer reconciled = await("sample " + name + " Progressing", () -> cluster.get(name),
                    r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Progressing);
            assertThat(reconciled.getStatus().getObservedGeneration()).isEqualTo(reconciled.getMetadata().getGeneration());
        }
    }

    private void createSecretKey(SecretReference ref) {
        // long enough for an HS256 secret (at least 32 bytes)
        String value = Base64.getEncoder().encodeToString(("placeholder-" + ref.key() + "-" + "x".repeat(32)).getBytes());
        var secrets = cluster.client().secrets().inNamespace(MockCluster.NAMESPACE);
        if (secrets.withName(ref.name()).get() == null) {
            secrets.resource(new SecretBuilder().withNewMetadata().withName(ref.name()).endMetadata()
                    .addToData(ref.key(), value).build()).create();
        } else {
            secrets.withName(ref.name()).edit(s -> new SecretBuilder(s).addToData(ref.key(), value).build());
        }
    }

    private static List<AgentServer> samples() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<AgentServer> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (document.contains("kind: AgentServer")) {
                        samples.add(serialization.unmarshal(document, AgentServer.class));
                    }
                }
            }
        }
        return samples;
    }
}
