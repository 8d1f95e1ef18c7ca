package io.agentserver.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigHashTest {

    @Test
    void isStableForTheSameInputWhateverTheOrder() {
        Secret a = secret("a", Map.of("k", "v1"));
        Secret b = secret("b", Map.of("k", "v2"));

        assertThat(ConfigHash.of(Map.of("X", "1", "Y", "2"), List.of(a, b)))
                .isEqualTo(ConfigHash.of(Map.of("Y", "2", "X", "1"), List.of(b, a)));
    }

    @Test
    void changesWithConfigOrSecretData() {
        String base = ConfigHash.of(Map.of("X", "1"), List.of(secret("a", Map.of("k", "v1"))));

        assertThat(ConfigHash.of(Map.of("X", "2"), List.of(secret("a", Map.of("k", "v1"))))).isNotEqualTo(base);
        assertThat(ConfigHash.of(Map.of("X", "1"), List.of(secret("a", Map.of("k", "v2"))))).isNotEqualTo(base);
        assertThat(ConfigHash.of(Map.of("X", "1"), List.of())).isNotEqualTo(base);
    }

    private static Secret secret(String name, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
    }
}
