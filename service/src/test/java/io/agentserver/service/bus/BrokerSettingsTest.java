package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static BrokerSettings read(Map<String, String> values) {
        return BrokerSettings.from(Config.just(ConfigSources.create(values)));
    }

    @Test
    void missingUriMeansInMemoryWithDefaults() {
        BrokerSettings settings = read(Map.of());

        assertThat(settings.usesRedis()).isFalse();
        assertThat(settings).isEqualTo(BrokerSettings.inMemory());
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void blankUriMeansInMemory() {
        assertThat(read(Map.of("redis.uri", "  ")).usesRedis()).isFalse();
    }

    @Test
    void readsUriAndDurations() {
        BrokerSettings settings = read(Map.of(
                "redis.uri", "redis://:secret@redis:6379/0",
                "redis.command-timeout", "PT0.5S",
                "redis.connect-timeout", "PT3S",
                "redis.reconnect-max-delay", "PT10S"));

        assertThat(settings.redisUri()).contains("redis://:secret@redis:6379/0");
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsASeparateUsernameAndPasswordTakenAsIs() {
        BrokerSettings settings = read(Map.of(
                "redis.uri", "redis://redis:6379/0",
                "redis.username", "agent",
                "redis.password", "a/b+c=="));

        assertThat(settings.redisUsername()).contains("agent");
        assertThat(settings.redisPassword()).contains("a/b+c==");
        assertThat(read(Map.of("redis.uri", "redis://redis:6379/0")).redisPassword()).isEmpty();
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThatThrownBy(() -> read(Map.of("redis.command-timeout", "PT0S")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.command-timeout");
    }

    @Test
    void factoryPicksMemoryWithoutUri() {
        try (EventBroker broker = EventBrokers.create(BrokerSettings.inMemory())) {
            assertThat(broker).isInstanceOf(InMemoryEventBroker.class);
        }
    }

    @Test
    void publishRetryHasNamedDefaultsAndReadsOverrides() {
        assertThat(PublishRetrySettings.from(Config.just(ConfigSources.create(Map.of()))))
                .isEqualTo(new PublishRetrySettings(Duration.ofSeconds(30), 10_000));
        assertThat(PublishRetrySettings.from(Config.just(ConfigSources.create(Map.of(
                "redis.publish-retry-for", "PT5S", "redis.publish-queue-size", "50")))))
                .isEqualTo(new PublishRetrySettings(Duration.ofSeconds(5), 50));
        assertThatThrownBy(() -> new PublishRetrySettings(Duration.ZERO, 1))
                .hasMessageContaining("redis.publish-retry-for");
    }

    @Test
    void clusterModeReadsACommaSeparatedSeedListAndItsOwnSettings() {
        BrokerSettings settings = read(Map.of(
                "redis.mode", "Cluster",
                "redis.uri", "redis://10.0.0.1:7000, redis://10.0.0.2:7000,,redis://10.0.0.3:7000",
                "redis.topology-refresh", "PT30S",
                "redis.replica-standby", "false"));

        assertThat(settings.cluster()).isTrue();
        assertThat(settings.redisUris())
                .containsExactly("redis://10.0.0.1:7000", "redis://10.0.0.2:7000", "redis://10.0.0.3:7000");
        assertThat(settings.topologyRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.replicaStandby()).isFalse();
    }

    @Test
    void standaloneIsTheDefaultModeAndRefusesASeedList() {
        assertThat(read(Map.of("redis.uri", "redis://r:6379")).mode()).isEqualTo(RedisMode.STANDALONE);
        assertThat(read(Map.of("redis.uri", "redis://r:6379")).replicaStandby()).isTrue();
        assertThatThrownBy(() -> read(Map.of("redis.uri", "redis://a:7000,redis://b:7000")))
                .hasMessageContaining("REDIS_MODE=cluster");
        assertThatThrownBy(() -> read(Map.of("redis.mode", "sentinel")))
                .hasMessageContaining("standalone or cluster");
    }
}
