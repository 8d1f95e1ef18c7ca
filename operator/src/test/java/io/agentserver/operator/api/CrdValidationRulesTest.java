package io.agentserver.operator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentserver.operator.support.CrdValidationRules;
import io.agentserver.operator.support.MockCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code x-kubernetes-validations} rule of the generated CRD, compiled and evaluated with CEL as the API
 * server would (no API server runs here): the samples pass, each broken spec is refused with its rule's
 * message, transition rules guard what cannot change, and rules about immutable facts let status writes of
 * objects that already exist through.
 */
class CrdValidationRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CrdValidationRules RULES = CrdValidationRules.of(MockCluster.GENERATED_CRD);

    @Test
    void everyRuleCompiles() {
        assertThat(RULES.rules()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(RULES.rules()).anySatisfy(rule -> assertThat(rule.expression()).contains("oldSelf"));
    }

    @Test
    void everySampleIsAccepted() throws IOException {
        try (Stream<Path> samples = Files.list(Path.of("../k8s/samples"))) {
            List<Path> files = samples.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(5);
            for (Path file : files) {
                assertThat(RULES.create(read(file))).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void eachBrokenSpecIsRefusedWithItsRulesMessage() throws IOException {
        refused(o -> spec(o).put("replicas", 3), "more than one replica needs spec.redis and spec.database");
        refused(o -> spec(o).put("redis", Map.of("managed", true, "url", "redis://r:6379")), "redis: a managed Redis takes no url");
        refused(o -> spec(o).put("redis", Map.of()), "redis: set managed: true, or else give a url or a cluster");
        refused(o -> spec(o).put("redis", Map.of("managed", true, "cluster", Map.of("nodes", List.of("r:6379")))),
                "redis: a Redis Cluster (cluster.nodes) goes without managed and without url");
        refused(o -> spec(o).put("agents", Map.of("agentProtocol", List.of(Map.of("name", "card",
                "url", "https://a/.well-known/agent-card.json")))), "a url ending in .json is an A2A agent card");
        refused(o -> spec(o).put("database", Map.of()), "database: set managed: true, cloudNativePG, or else give a url");
        refused(o -> spec(o).put("database", Map.of("managed", true, "cloudNativePG", Map.of("instances", 3))),
                "database: cloudNativePG takes no managed, url or credentialsSecretRef");
        refused(o -> metadata(o).put("name", "a".repeat(44)), "metadata.name: at most 43 characters");
        refused(o -> metadata(o).put("name", "Demo"), "metadata.name: lower-case letters");
        refused(o -> spec(o).put("auth", Map.of("jwksUrl", "https://issuer/jwks")), "set algorithm RS256 or ES256");
        refused(o -> spec(o).put("agents", Map.of("agentProtocol", List.of(Map.of("name", "a", "url", "http://a"),
                Map.of("name", "a", "url", "http://b")))), "agents: each agentProtocol name must be unique");
        refused(o -> spec(o).put("agents", Map.of("agentProtocol", List.of(Map.of("name", "llm", "url", "http://a")))),
                "agents: the name llm belongs to the built-in LLM agent");
        refused(o -> spec(o).put("agents", Map.of("default", "llm")), "agents: default llm needs agents.llm");
        refused(o -> spec(o).put("autoscaling", Map.of("enabled", true, "minReplicas", 5, "maxReplicas", 2)),
                "autoscaling: minReplicas must not exceed maxReplicas");
        refused(o -> spec(o).put("autoscaling", Map.of("enabled", true)), "autoscaling: enabled needs maxReplicas");
        refused(o -> spec(o).put("autoscaling", Map.of("enabled", true, "maxReplicas", 4)),
                "autoscaling beyond one replica needs spec.redis and spec.database");
    }

    @Test
    void aRedisClusterAndA2aAgentsByCardOrBaseUrlAreAccepted() throws IOException {
        Map<String, Object> object = read(Path.of("../k8s/samples/minimal.yaml"));
        spec(object).put("redis", Map.of("cluster", Map.of("nodes", List.of("r-0:6379", "r-1:6379")), "autogptBus", "sharded"));
        spec(object).put("agents", Map.of("agentProtocol", List.of(
                Map.of("name", "card", "url", "https://a/.well-known/agent-card.json", "protocol", "a2a"),
                Map.of("name", "base", "url", "https://b:8443", "protocol", "a2a"))));

        assertThat(RULES.create(object)).isEmpty();
    }

    @Test
    void storageAndItsClassCannotChangeOnceSetButAnUnchangedSpecPasses() throws IOException {
        Map<String, Object> old = read(Path.of("../k8s/samples/managed.yaml"));
        database(old).put("storage", "1Gi");
        Map<String, Object> same = copy(old);
        Map<String, Object> grown = copy(old);
        database(grown).put("storage", "5Gi");
        Map<String, Object> classed = copy(old);
        database(classed).put("storageClassName", "fast");

        assertThat(RULES.update(old, same)).isEmpty();
        assertThat(RULES.update(old, grown)).anySatisfy(m -> assertThat(m).startsWith("database.storage is immutable"));
        assertThat(RULES.update(old, classed)).anySatisfy(m -> assertThat(m).startsWith("database.storageClassName is immutable"));
        assertThat(RULES.create(grown)).as("a transition rule does not run on create").isEmpty();
    }

    @Test
    void anObjectThatPredatesTheNameRulesStillTakesStatusWritesButANewOneIsRefused() throws IOException {
        Map<String, Object> existing = read(Path.of("../k8s/samples/minimal.yaml"));
        metadata(existing).put("name", "a-name-that-was-fine-before-the-crd-upgrade-x");
        Map<String, Object> withStatus = copy(existing);
        withStatus.put("status", Map.of("phase", "Failed"));

        assertThat(RULES.update(existing, withStatus)).as("a status write of an object that exists").isEmpty();
        assertThat(RULES.create(existing)).anySatisfy(m -> assertThat(m).startsWith("metadata.name: at most 43 characters"));
    }

    private static void refused(Consumer<Map<String, Object>> change, String message) throws IOException {
        Map<String, Object> object = read(Path.of("../k8s/samples/minimal.yaml"));
        change.accept(object);
        assertThat(RULES.create(object)).as(message).anySatisfy(m -> assertThat(m).contains(message));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws IOException {
        return YAML.readValue(file.toFile(), LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> object) {
        return YAML.convertValue(object, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> object) {
        return (Map<String, Object>) object.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> database(Map<String, Object> object) {
        return (Map<String, Object>) spec(object).get("database");
    }

}
