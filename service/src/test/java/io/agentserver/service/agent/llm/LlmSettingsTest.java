package io.agentserver.service.agent.llm;

import io.agentserver.service.agent.RunSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmSettingsTest {

    @Test
    void defaultsNameTheOpenAiApiAndLeaveTheAgentOff() {
        LlmSettings settings = LlmSettings.from(config(Map.of()));
        assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(settings.apiKey()).isEmpty();
        assertThat(settings.model()).isEmpty();
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.maxSteps()).isEqualTo(40);
        assertThat(settings.maxTokens()).isEqualTo(2048);
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.stream()).isTrue();
        assertThat(settings.askHumanTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(RunSettings.from(config(Map.of())).defaultAgent()).isEqualTo("demo");
    }

    /** The operator and the README set these exact environment names; Helidon maps them to our keys. */
    @Test
    void theDocumentedEnvironmentNamesSetEverySetting() {
        Config config = config(EnvironmentVariables.expand(Map.of(
                "LLM_BASE_URL", "http://ollama:11434/v1",
                "LLM_API_KEY", "sk-secret",
                "LLM_MODEL", "qwen2.5:7b",
                "LLM_TIMEOUT", "PT90S",
                "LLM_MAX_STEPS", "12",
                "LLM_MAX_TOKENS", "1000",
                "LLM_MAX_RETRIES", "5",
                "LLM_STREAM", "false",
                "LLM_ASK_DASH_HUMAN_DASH_TIMEOUT", "PT30S",
                "AGENTS_DEFAULT", "llm")));
        LlmSettings settings = LlmSettings.from(config);
        assertThat(settings.baseUrl()).isEqualTo("http://ollama:11434/v1");
        assertThat(settings.apiKey()).contains("sk-secret");
        assertThat(settings.model()).contains("qwen2.5:7b");
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.maxSteps()).isEqualTo(12);
        assertThat(settings.maxTokens()).isEqualTo(1000);
        assertThat(settings.maxRetries()).isEqualTo(5);
        assertThat(settings.stream()).isFalse();
        assertThat(settings.askHumanTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(RunSettings.from(config).defaultAgent()).isEqualTo("llm");
    }

    @Test
    void blankValuesFromAnEmptySecretCountAsUnset() {
        LlmSettings settings = LlmSettings.from(config(Map.of("llm.model", " ", "llm.api.key", "", "llm.base.url", "")));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.apiKey()).isEmpty();
        assertThat(settings.baseUrl()).isEqualTo(LlmSettings.DEFAULT_BASE_URL);
    }

    @Test
    void aStepLimitTooSmallForAPlanAndAStepIsRefusedAtStart() {
        assertThatThrownBy(() -> LlmSettings.from(config(Map.of("llm.max.steps", "1"))))
                .hasMessageContaining("max steps must be at least 2");
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }
}
