package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentserver.operator.model.UnknownFields;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every class of the resource reads objects written under a newer CRD, and the unknown fields are found. */
class IgnoresUnknownFieldsTest {

    @Test
    void everyClassOfTheResourceIgnoresFieldsItDoesNotKnow() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target/classes/io/agentserver/operator/api"))) {
            List<? extends Class<?>> classes = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.startsWith("package-info"))
                    .map(name -> load("io.agentserver.operator.api." + name.replace(".class", "")))
                    .filter(type -> !type.isEnum() && !type.getSimpleName().equals("EnvVarSchema"))
                    .toList();

            assertThat(classes).hasSizeGreaterThan(10).allSatisfy(type -> assertThat(type.getAnnotation(JsonIgnoreProperties.class))
                    .as(type.getSimpleName()).isNotNull().extracting(JsonIgnoreProperties::ignoreUnknown).isEqualTo(true));
        }
    }

    @Test
    void aSpecWithNewerFieldsReadsAndTheFieldsAreNamed() throws Exception {
        String json = "{\"image\":\"x\",\"canary\":{\"steps\":3},\"service\":{\"port\":80,\"affinity\":\"ClientIP\"},"
                + "\"env\":[{\"name\":\"A\",\"value\":\"1\"}],\"agents\":{\"agentProtocol\":[{\"name\":\"f\",\"url\":\"http://f\","
                + "\"retries\":2}]}}";
        KubernetesSerialization serialization = new KubernetesSerialization();

        AgentServerSpec spec = serialization.unmarshal(json, AgentServerSpec.class);

        ObjectMapper mapper = new ObjectMapper();
        assertThat(UnknownFields.of("spec", mapper.readTree(json), mapper.readTree(serialization.asJson(spec))))
                .containsExactlyInAnyOrder("spec.canary", "spec.service.affinity", "spec.agents.agentProtocol[0].retries");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
