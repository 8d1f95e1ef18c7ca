package io.agentserver.service.agent.protocol;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentProtocolSettingsTest {

    @Test
    void environmentVariablesNameOneAgentEachAndAgentsDefaultIsNotOne() {
        AgentProtocolSettings settings = AgentProtocolSettings.from(fromEnvironment(Map.of(
                "AGENTS_FORGE_URL", "http://forge:8000/",
                "AGENTS_FORGE_TOKEN", "s3cret",
                "AGENTS_FORGE_TIMEOUT", "PT30S",
                "AGENTS_FORGE_MAX_STEPS", "12",
                "AGENTS_MY_AGENT_URL", "https://agents.example.com/my",
                "AGENTS_MY_AGENT_MAX_DASH_STEPS", "7",
                "AGENTS_CODE_DASH_BOT_URL", "http://bot",
                "AGENTS_DEFAULT", "forge",
                "LLM_MODEL", "qwen")));

        assertThat(settings.agents()).containsExactlyInAnyOrder(
                new RemoteAgentSettings("forge", URI.create("http://forge:8000"), Optional.of("s3cret"),
                        Duration.ofSeconds(30), 12),
                new RemoteAgentSettings("my_agent", URI.create("https://agents.example.com/my"), Optional.empty(),
                        AgentProtocolSettings.DEFAULT_TIMEOUT, 7),
                new RemoteAgentSettings("code-bot", URI.create("http://bot"), Optional.empty(),
                        AgentProtocolSettings.DEFAULT_TIMEOUT, AgentProtocolSettings.DEFAULT_MAX_STEPS));
    }

    @Test
    void anAgentWhoseNameStartsWithAnotherAgentsNameIsAnAgentToo() {
        AgentProtocolSettings settings = AgentProtocolSettings.from(fromEnvironment(Map.of(
                "AGENTS_MY_URL", "http://my",
                "AGENTS_MY_MAX_STEPS", "3",
                "AGENTS_MY_AGENT_URL", "http://my-agent")));

        assertThat(settings.agents()).extracting(RemoteAgentSettings::name, RemoteAgentSettings::maxSteps)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("my", 3),
                        org.assertj.core.groups.Tuple.tuple("my_agent", AgentProtocolSettings.DEFAULT_MAX_STEPS));
    }

    @Test
    void yamlKeysWorkToo() {
        AgentProtocolSettings settings = AgentProtocolSettings.from(config(Map.of(
                "agents.autogpt.url", "http://autogpt:8000",
                "agents.autogpt.max-steps", "5",
                "agents.default", "demo")));

        assertThat(settings.agents()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("autogpt");
            assertThat(a.maxSteps()).isEqualTo(5);
        });
    }

    @Test
    void noAgentsWhenNothingIsConfigured() {
        assertThat(AgentProtocolSettings.from(config(Map.of("agents.default", "demo"))).agents()).isEmpty();
        assertThat(AgentProtocolSettings.from(config(Map.of())).agents()).isEmpty();
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedAtStartUp() {
        assertThatThrownBy(() -> AgentProtocolSettings.from(config(Map.of("agents.forge.url", "forge:8000"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent forge");
    }

    @Test
    void theConnectTimeoutNeverExceedsTheRequestTimeout() {
        RemoteAgentSettings quick = new RemoteAgentSettings("a", URI.create("http://a"), Optional.empty(),
                Duration.ofSeconds(2), 1);
        RemoteAgentSettings slow = new RemoteAgentSettings("a", URI.create("http://a"), Optional.empty(),
                Duration.ofMinutes(5), 1);
        assertThat(quick.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(slow.connectTimeout()).isEqualTo(RemoteAgentSettings.MAX_CONNECT_TIMEOUT);
    }

    private static Config fromEnvironment(Map<String, String> env) {
        return config(EnvironmentVariables.expand(env));
    }

    private static Config config(Map<String, String> values) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values))
                .build();
    }
}
