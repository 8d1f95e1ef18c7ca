package io.agentserver.operator.chart;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.SpecCheck;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ships must equal what is built: the CRD in the chart and in {@code k8s/crd/} equal the one
 * the CRD generator wrote, and {@code k8s/operator/operator.yaml} equals the chart rendered with its
 * defaults. On a mismatch the expected file is written under {@code operator/target/shipped/} and
 * the failure message names the {@code cp} that refreshes the committed copy.
 */
class ShippedManifestsTest {

    private static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/agentservers.agentserver.io-v1.yml");
    private static final Path CHART_CRD = Path.of("../charts/agent-server-operator/crds/agentservers.agentserver.io-v1.yml");
    private static final Path PLAIN_CRD = Path.of("../k8s/crd/agentservers.agentserver.io-v1.yml");
    private static final Path PLAIN_OPERATOR = Path.of("../k8s/operator/operator.yaml");
    private static final Path SAMPLES = Path.of("../k8s/samples");
    static final String PLAIN_HEADER = """
            # Generated from charts/agent-server-operator with its default values (release agent-server-operator,
            # namespace agent-server-system). Do not edit: change the chart, then run the operator tests and
            # copy operator/target/shipped/operator.yaml here (ShippedManifestsTest says so when they differ).
            """;

    @Test
    void chartCrdEqualsTheGeneratedCrd() throws IOException {
        assertSameContent(CHART_CRD, Files.readString(GENERATED_CRD));
    }

    @Test
    void plainManifestCrdEqualsTheGeneratedCrd() throws IOException {
        assertSameContent(PLAIN_CRD, Files.readString(GENERATED_CRD));
    }

    @Test
    void plainOperatorManifestEqualsTheChartRenderedWithDefaults() throws IOException {
        assertSameContent(PLAIN_OPERATOR, PLAIN_HEADER + RenderedChart.render(Map.of()).yaml());
    }

    @Test
    void kustomizationListsTheCrdTheNamespaceAndTheOperator() throws IOException {
        String kustomization = Files.readString(Path.of("../k8s/kustomization.yaml"));

        assertThat(kustomization).contains("crd/agentservers.agentserver.io-v1.yml", "operator/namespace.yaml",
                "operator/operator.yaml");
        for (String line : kustomization.lines().filter(l -> l.trim().startsWith("- ")).toList()) {
            assertThat(Path.of("../k8s", line.trim().substring(2).trim())).exists();
        }
    }

    @Test
    void everySampleIsAValidAgentServer() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<Path> samples;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
        for (Path sample : samples) {
            for (String document : Files.readString(sample).split("(?m)^---\\s*$")) {
                if (document.contains("kind: AgentServer")) {
                    AgentServer resource = serialization.unmarshal(document, AgentServer.class);
                    assertThat(SpecCheck.problems(resource.getSpec())).as(sample.toString()).isEmpty();
                    assertThat(SpecCheck.nameProblems(resource.getMetadata().getName())).as(sample.toString()).isEmpty();
                }
            }
        }
    }

    /**
     * A Docker build sees only what its Dockerfile copies, and Maven refuses to start when a module the parent pom
     * lists has no pom ("Child module … does not exist"), even with {@code -pl}: every module's pom must be copied.
     */
    @Test
    void everyDockerfileCopiesThePomOfEveryModuleTheParentPomLists() throws IOException {
        List<String> modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(Path.of("../pom.xml"))).results().map(m -> m.group(1).trim()).toList();
        assertThat(modules).contains("service", "operator");
        for (Path dockerfile : List.of(Path.of("../service/Dockerfile"), Path.of("Dockerfile"))) {
            String text = Files.readString(dockerfile);
            for (String module : modules) {
                assertThat(text).as(dockerfile.normalize() + " copies " + module + "/pom.xml")
                        .containsPattern("(?m)^COPY " + module + "/pom\\.xml " + module + "/\\s*$");
            }
        }
    }

    private static void assertSameContent(Path committed, String expected) throws IOException {
        String actual = Files.exists(committed) ? Files.readString(committed) : "";
        if (!actual.equals(expected)) {
            Path fresh = Path.of("target/shipped").resolve(committed.getFileName());
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, expected);
            throw new AssertionError(committed.normalize() + " is out of date. Refresh it from the repository root with:\n"
                    + "  cp operator/" + fresh + " " + Path.of("operator").resolve(committed).normalize());
        }
    }
}
