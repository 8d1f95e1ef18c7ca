package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.protocol.AgentProtocolSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class A2aSettingsTest {

    @Test
    void theProtocolSplitsTheAgentsBetweenTheTwoClientsAndEverySettingHasItsVariable() {
        Config config = fromEnvironment(Map.ofEntries(
                Map.entry("AGENTS_FORGE_URL", "http://forge:8000/"),
                Map.entry("AGENTS_PLANNER_URL", "https://planner.example.com/a2a/"),
                Map.entry("AGENTS_PLANNER_PROTOCOL", "a2a"),
                Map.entry("AGENTS_PLANNER_TOKEN", "s3cret"),
                Map.entry("AGENTS_PLANNER_TIMEOUT", "PT30S"),
                Map.entry("AGENTS_PLANNER_IDLE_DASH_TIMEOUT", "PT2M"),
                Map.entry("AGENTS_PLANNER_POLL_DASH_INTERVAL", "PT0.5S"),
                Map.entry("AGENTS_PLANNER_CARD_DASH_TTL", "PT0S"),
                Map.entry("AGENTS_PLANNER_MAX_DASH_RESPONSE_DASH_BYTES", "2048"),
                Map.entry("AGENTS_PLANNER_MAX_DASH_ARTIFACT_DASH_BYTES", "4096"),
                Map.entry("AGENTS_PLANNER_MAX_DASH_ARTIFACTS", "3"),
                Map.entry("AGENTS_PLANNER_FETCH_DASH_ORIGINS", "https://cdn.example.com, https://files.example.com"),
                Map.entry("AGENTS_CODE_DASH_BOT_URL", "http://bot/.well-known/agent-card.json"),
                Map.entry("AGENTS_CODE_DASH_BOT_PROTOCOL", "A2A"),
                Map.entry("AGENTS_DEFAULT", "forge")));

        assertThat(AgentProtocolSettings.from(config).agents()).extracting(a -> a.name()).containsExactly("forge");
        assertThat(A2aSettings.from(config).agents()).containsExactlyInAnyOrder(
                new A2aAgentSettings("planner", URI.create("https://planner.example.com/a2a/"), Optional.of("s3cret"),
                        Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ZERO, 2048, 4096,
                        3, List.of("https://cdn.example.com", "https://files.example.com")),
                new A2aAgentSettings("code-bot", URI.create("http://bot/.well-known/agent-card.json"), Optional.empty(),
                        A2aSettings.DEFAULT_TIMEOUT, A2aSettings.DEFAULT_IDLE_TIMEOUT, A2aSettings.DEFAULT_POLL_INTERVAL,
                        A2aSettings.DEFAULT_CARD_TTL, A2aSettings.DEFAULT_MAX_RESPONSE_BYTES,
                        A2aSettings.DEFAULT_MAX_ARTIFACT_BYTES, A2aSettings.DEFAULT_MAX_ARTIFACTS, List.of()));
    }

    @Test
    void theCardIsTheUrlWhenItNamesAJsonFileElseTheWellKnownPathBelowIt() {
        assertThat(agent("http://h/a2a/demo").cardUrl()).isEqualTo(URI.create("http://h/a2a/demo/.well-known/agent-card.json"));
        assertThat(agent("http://h/a2a/demo/").cardUrl()).isEqualTo(URI.create("http://h/a2a/demo/.well-known/agent-card.json"));
        assertThat(agent("http://h").cardUrl()).isEqualTo(URI.create("http://h/.well-known/agent-card.json"));
        assertThat(agent("http://h/cards/planner.json").cardUrl()).isEqualTo(URI.create("http://h/cards/planner.json"));
    }

    @Test
    void anUnknownProtocolOrANonHttpUrlStopsTheStart() {
        assertThatThrownBy(() -> A2aSettings.from(fromEnvironment(Map.of("AGENTS_X_URL", "http://x",
                "AGENTS_X_PROTOCOL", "grpc")))).hasMessage("agent x: protocol must be agent-protocol or a2a, got grpc");
        assertThatThrownBy(() -> A2aSettings.from(fromEnvironment(Map.of("AGENTS_X_URL", "ftp://x/card.json",
                "AGENTS_X_PROTOCOL", "a2a")))).hasMessageContaining("url must be an absolute http(s) URL");
    }

    @Test
    void theTokenNeverShowsInToString() {
        A2aAgentSettings settings = new A2aAgentSettings("x", URI.create("https://user:pw@h/a2a?key=k"),
                Optional.of("s3cret"), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO, 2048, 1, 1, List.of());
        assertThat(settings.toString()).doesNotContain("s3cret", "pw", "key=k");
        assertThat(settings.variable("max-artifact-bytes")).isEqualTo("AGENTS_X_MAX_DASH_ARTIFACT_DASH_BYTES");
    }

    private static A2aAgentSettings agent(String url) {
        return new A2aAgentSettings("x", URI.create(url), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 2048, 1, 1, List.of());
    }

    private static Config fromEnvironment(Map<String, String> env) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(EnvironmentVariables.expand(env)))
                .build();
    }
}
