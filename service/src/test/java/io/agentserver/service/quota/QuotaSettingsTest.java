package io.agentserver.service.quota;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaSettingsTest {

    @Test
    void defaultsLetOnePersonWorkAndKeepTheGuestOnTheDemo() {
        QuotaSettings settings = QuotaSettings.from(config(Map.of()));
        assertThat(settings.concurrentRuns()).isGreaterThanOrEqualTo(4).isEqualTo(4);
        assertThat(settings.runsPerHour()).isGreaterThanOrEqualTo(30).isEqualTo(30);
        assertThat(settings.tokensPerRun()).isEqualTo(250_000);
        assertThat(settings.tokensPerDay()).isEqualTo(2_000_000);
        assertThat(settings.freeAgents()).containsExactlyInAnyOrder("demo", "recorder");
        assertThat(settings.guestAgents()).containsExactly("demo");
        assertThat(settings.metered("llm")).isTrue();
        assertThat(settings.metered("demo")).isFalse();
        assertThat(settings.guestMayRun("llm")).isFalse();
        assertThat(settings.userClass("guest")).isEqualTo("guest");
        assertThat(settings.userClass("alice")).isEqualTo("user");
    }

    @Test
    void theDocumentedEnvironmentNamesSetEveryLimit() {
        QuotaSettings settings = QuotaSettings.from(config(EnvironmentVariables.expand(Map.of(
                "QUOTA_CONCURRENT_DASH_RUNS", "8",
                "QUOTA_RUNS_DASH_PER_DASH_HOUR", "0",
                "QUOTA_TOKENS_DASH_PER_DASH_RUN", "1000",
                "QUOTA_TOKENS_DASH_PER_DASH_DAY", "5000",
                "QUOTA_FREE_DASH_AGENTS", "demo",
                "XAGENT_GUEST_DASH_AGENTS", "demo, LLM"))));
        assertThat(settings.concurrentRuns()).isEqualTo(8);
        assertThat(settings.runsPerHour()).isZero();
        assertThat(settings.tokensPerRun()).isEqualTo(1000);
        assertThat(settings.tokensPerDay()).isEqualTo(5000);
        assertThat(settings.freeAgents()).containsExactly("demo");
        assertThat(settings.guestAgents()).isEqualTo(Set.of("demo", "llm"));
        assertThat(settings.guestMayRun("llm")).isTrue();
        assertThat(QuotaSettings.from(config(Map.of("xagent.guest-agents", "*"))).guestMayRun("forge")).isTrue();
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThatThrownBy(() -> QuotaSettings.from(config(Map.of("quota.concurrent-runs", "-1"))))
                .hasMessageContaining("0 means no limit");
    }

    private static Config config(Map<String, String> values) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
    }
}
