package io.agentserver.service.a2a;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class A2aServerSettingsTest {

    @Test
    void defaultsAreNamed() {
        assertThat(A2aServerSettings.from(Config.empty())).isEqualTo(A2aServerSettings.defaults());
        A2aServerSettings defaults = A2aServerSettings.defaults();
        assertThat(defaults.publicBaseUrl()).isEmpty();
        assertThat(defaults.keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryKey() {
        A2aServerSettings settings = A2aServerSettings.from(config(Map.of(
                "a2a.public-base-url", "https://agents.example.com/x/",
                "a2a.max-body-bytes", "4096",
                "a2a.writer-max-bytes", "100000",
                "a2a.keep-alive", "PT2S",
                "a2a.stall-timeout", "PT3S",
                "a2a.blocking-timeout", "PT4S",
                "a2a.cancel-timeout", "PT5S",
                "a2a.agent-version", "2.1")));
        assertThat(settings).isEqualTo(new A2aServerSettings(java.util.Optional.of(URI.create(
                "https://agents.example.com/x")), 4096, 100000, Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(4), Duration.ofSeconds(5), "2.1"));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> A2aServerSettings.from(config(Map.of("a2a.public-base-url", "ftp://x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> A2aServerSettings.from(config(Map.of("a2a.writer-max-bytes", "1000"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> A2aServerSettings.from(config(Map.of("a2a.keep-alive", "PT0S"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }
}
