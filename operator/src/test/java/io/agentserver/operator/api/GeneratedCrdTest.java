package io.agentserver.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRD the generator wrote from the api classes carries the schema rules we rely on. */
class GeneratedCrdTest {

    private static CustomResourceDefinitionVersion version;
    private static JSONSchemaProps root;
    private static JSONSchemaProps spec;

    @BeforeAll
    static void load() throws IOException {
        CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(
                Files.readString(Path.of("target/classes/META-INF/fabric8/agentservers.agentserver.io-v1.yml")),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getGroup()).isEqualTo("agentserver.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ags");
        version = crd.getSpec().getVersions().getFirst();
        root = version.getSchema().getOpenAPIV3Schema();
        spec = root.getProperties().get("spec");
    }

    @Test
    void isServedV1alpha1WithStatusSubresourceAndPrinterColumns() {
        assertThat(version.getName()).isEqualTo("v1alpha1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .contains("Ready", "Replicas", "Endpoint", "Age");
    }

    @Test
    void requiresAnImageAndBoundsReplicas() {
        assertThat(spec.getRequired()).containsExactly("image");
        JSONSchemaProps replicas = spec.getProperties().get("replicas");
        assertThat(replicas.getMinimum()).isEqualTo(0.0);
        assertThat(replicas.getMaximum()).isEqualTo(100.0);
        assertThat(replicas.getDefault().asInt()).isEqualTo(1);
    }

    @Test
    void statesManagedOrElseUrlAsCelRules() {
        assertThat(spec.getProperties().get("redis").getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains("redis: set managed: true, or else give a url or a cluster",
                        "redis: a Redis Cluster (cluster.nodes) goes without managed and without url");
        assertThat(spec.getProperties().get("database").getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains("database: set managed: true, cloudNativePG, or else give a url",
                        "database: cloudNativePG takes no managed, url or credentialsSecretRef");
        assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .anySatisfy(rule -> assertThat(rule).contains("self.replicas <= 1"));
    }

    @Test
    void constrainsServiceTypePortAndStorage() {
        JSONSchemaProps service = spec.getProperties().get("service");
        assertThat(service.getProperties().get("type").getEnum()).extracting(Object::toString)
                .containsExactlyInAnyOrder("\"ClusterIP\"", "\"NodePort\"", "\"LoadBalancer\"");
        assertThat(service.getProperties().get("port").getMaximum()).isEqualTo(65535.0);
        assertThat(spec.getProperties().get("database").getProperties().get("storage").getPattern()).isNotBlank();
        assertThat(spec.getProperties().get("database").getProperties().get("url").getPattern())
                .isEqualTo("^jdbc:postgresql://.+");
    }

    @Test
    void hasAScaleSubresourceOnSpecReplicasWithTheServerPodSelector() {
        var scale = version.getSubresources().getScale();
        assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
        JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().get("selector").getType()).isEqualTo("string");
    }

    @Test
    void agentNamesAreLowercaseSoTheirEnvNamesAreTheUpperCase() {
        JSONSchemaProps agents = spec.getProperties().get("agents");
        JSONSchemaProps agentProtocol = agents.getProperties().get("agentProtocol");
        assertThat(agentProtocol.getItems().getSchema().getProperties().get("name").getPattern()).isEqualTo("^[a-z][a-z0-9]*$");
        assertThat(agentProtocol.getItems().getSchema().getRequired()).containsExactlyInAnyOrder("name", "url");
        assertThat(agentProtocol.getMaxItems()).as("bounds the CEL cost of the uniqueness rule").isEqualTo(16L);
        assertThat(agents.getProperties()).containsKeys("default", "llm");
        assertThat(agents.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains("agents: each agentProtocol name must be unique", "agents: default llm needs agents.llm");
        assertThat(agents.getProperties().get("llm").getRequired()).containsExactly("model");
    }

    @Test
    void everyPatternIsRe2SyntaxThatTheApiServerAccepts() throws IOException {
        String yaml = Files.readString(Path.of("target/classes/META-INF/fabric8/agentservers.agentserver.io-v1.yml"));
        var patterns = yaml.lines().map(String::trim).filter(line -> line.startsWith("pattern:")).toList();
        assertThat(patterns).isNotEmpty().allSatisfy(line ->
                assertThat(line).as("RE2 has no lookaround or backreferences").doesNotContain("(?=", "(?!", "(?<", "\\1"));
    }

    @Test
    void refusesAJwksUrlWithHs256() {
        assertThat(spec.getProperties().get("auth").getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .contains("!has(self.jwksUrl) || (has(self.algorithm) && self.algorithm != 'HS256')");
    }

    @Test
    void boundsTheNameAtTheRootOnCreateOnly() {
        assertThat(root.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .contains("oldSelf.hasValue() || size(self.metadata.name) <= 43",
                        "oldSelf.hasValue() || self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')");
        assertThat(root.getXKubernetesValidations()).allSatisfy(rule -> assertThat(rule.getOptionalOldSelf()).isTrue());
    }

    @Test
    void everyEnvEntryNeedsAName() {
        assertThat(spec.getProperties().get("env").getItems().getSchema().getRequired()).containsExactly("name");
    }

    @Test
    void makesStorageAndStorageClassImmutable() {
        JSONSchemaProps database = spec.getProperties().get("database");
        assertThat(database.getProperties().get("storage").getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("self == oldSelf");
        assertThat(database.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .anySatisfy(rule -> assertThat(rule).contains("self.storageClassName == oldSelf.storageClassName"));
    }
}
