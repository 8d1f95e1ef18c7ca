package io.agentserver.operator.reconciler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentServerReconcilerTest {

    @Test
    void statusMessagesNeverShowCredentialsOfExternalUrls() {
        assertThat(AgentServerReconciler.withoutCredentials("redis://:secret@cache:6379/0")).isEqualTo("redis://cache:6379/0");
        assertThat(AgentServerReconciler.withoutCredentials("jdbc:postgresql://db:5432/app?user=u&password=p"))
                .isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(AgentServerReconciler.withoutCredentials("redis://cache:6379")).isEqualTo("redis://cache:6379");
    }
}
