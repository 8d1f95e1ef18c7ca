package io.agentserver.service.secrets;

import io.agentserver.service.agent.llm.LlmSettings;
import io.agentserver.service.agent.protocol.RemoteAgentSettings;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.store.DatabaseSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings records that hold keys and passwords print neither, wherever they are logged. */
class SettingsRedactionTest {

    private static final String SECRET = "s3cr3t-value-42";

    @Test
    void llmSettingsPrintNoKeyAndNoUserInfo() {
        LlmSettings llm = new LlmSettings("https://proxy:" + SECRET + "@llm.internal/v1?api-key=" + SECRET,
                Optional.of(SECRET), Optional.of("m"), Duration.ofSeconds(5), 10, 100, 1);
        assertThat(llm.toString()).doesNotContain(SECRET).contains("apiKey=<set>")
                .contains("https://***@llm.internal/v1?api-key=***");
    }

    @Test
    void remoteAgentSettingsPrintNoTokenAndNoUserInfo() {
        RemoteAgentSettings agent = new RemoteAgentSettings("forge", URI.create("http://bot:" + SECRET + "@forge:8000"),
                Optional.of(SECRET), Duration.ofSeconds(5), 10);
        assertThat(agent.toString()).doesNotContain(SECRET).contains("token=<set>");
    }

    @Test
    void brokerSettingsPrintNoPasswordInTheUriOrBesideIt() {
        BrokerSettings inUri = BrokerSettings.redis("redis://:" + SECRET + "@redis:6379/0");
        assertThat(inUri.toString()).doesNotContain(SECRET).contains("redis://***@redis:6379/0");
        BrokerSettings separate = inUri.withCredentials(Optional.of("app"), SECRET);
        assertThat(separate.toString()).doesNotContain(SECRET).contains("redisPassword=<set>");
    }

    @Test
    void databaseSettingsPrintNoPassword() {
        DatabaseSettings db = new DatabaseSettings("jdbc:postgresql://db:5432/app?password=" + SECRET, "app", SECRET,
                4, false);
        assertThat(db.toString()).doesNotContain(SECRET);
    }

    @Test
    void theRedactorRemovesConfiguredSecretsAndKeyShapedStrings() {
        Redactor redactor = Redactor.of(java.util.List.of(SECRET, "abc"));
        assertThat(redactor.redact("key " + SECRET + " and sk-proj-abcdefghijklmnop and Bearer eyJabc.def.ghi ok abc"))
                .isEqualTo("key *** and *** and Bearer *** ok abc");
        assertThat(redactor.excerpt("line one\nline two " + SECRET, 15)).isEqualTo("line one line …");
    }
}
