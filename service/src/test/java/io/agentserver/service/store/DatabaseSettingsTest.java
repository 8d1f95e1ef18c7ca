package io.agentserver.service.store;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseSettingsTest {

    @Test
    void emptyConfigMeansAnEmbeddedH2FileDatabaseWithTheGuest() {
        DatabaseSettings settings = DatabaseSettings.from(Config.empty());
        assertThat(settings).isEqualTo(new DatabaseSettings(
                "jdbc:h2:file:./data/agentserver;DB_CLOSE_ON_EXIT=FALSE", "sa", "", 10, true));
        assertThat(settings.vendor()).isEqualTo("h2");
    }

    @Test
    void everyKeyIsRead() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "db.connection.url", "jdbc:postgresql://db:5432/agents",
                "db.connection.username", "agent",
                "db.connection.password", "s3cret",
                "db.pool-size", "3",
                "xagent.guest.enabled", "false")));
        DatabaseSettings settings = DatabaseSettings.from(config);
        assertThat(settings).isEqualTo(
                new DatabaseSettings("jdbc:postgresql://db:5432/agents", "agent", "s3cret", 3, false));
        assertThat(settings.vendor()).isEqualTo("postgresql");
    }

    @Test
    void toStringNeverShowsThePassword() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://db/agents", "agent", "s3cret", 3, true);
        assertThat(settings.toString()).doesNotContain("s3cret").contains("postgresql");
    }

    @Test
    void aPoolNeedsAConnection() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:h2:mem:x", "sa", "", 0, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableDatabaseFailsToOpenWithoutShowingItsAddress() {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1", "agent", "s3cret", 1, true);
        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("127.0.0.1").doesNotContain("s3cret"));
    }
}
