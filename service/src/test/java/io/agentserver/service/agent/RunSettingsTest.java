package io.agentserver.service.agent;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunSettingsTest {

    private static RunSettings read(Map<String, String> values) {
        return RunSettings.from(Config.just(ConfigSources.create(values)));
    }

    @Test
    void defaultsAreNamedAndTheLeaseIsRenewedThreeTimesPerLease() {
        RunSettings settings = read(Map.of());
        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.reaperInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.recheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsOverrides() {
        RunSettings settings = read(Map.of("run.lease-duration", "PT6S", "run.reaper-interval", "PT2S",
                "run.recheck-interval", "PT0.5S", "run.replica-id", "pod-1"));
        assertThat(settings.replicaId()).isEqualTo("pod-1");
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.reaperInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.recheckInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void concurrentAppendsDefaultToFourPerCoreAndCanBeSet() {
        assertThat(read(Map.of()).maxConcurrentAppends())
                .isEqualTo(4 * Runtime.getRuntime().availableProcessors())
                .isEqualTo(RunSettings.DEFAULT_MAX_CONCURRENT_APPENDS);
        assertThat(read(Map.of("run.max-concurrent-appends", "3")).maxConcurrentAppends()).isEqualTo(3);
        assertThatThrownBy(() -> read(Map.of("run.max-concurrent-appends", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run.max-concurrent-appends");
    }

    @Test
    void refusesANonPositiveRecheckInterval() {
        assertThatThrownBy(() -> read(Map.of("run.recheck-interval", "PT0S")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
