package io.agentserver.service.autogpt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisChannelsTest {
    private final RedisChannels channels = RedisChannels.defaults();

    @Test
    void executionPatternMatchesAnyGraphOfOneExecution() {
        assertThat(channels.executionPattern("U", "E")).isEqualTo("execution_event/U/*/E");
    }

    @Test
    void graphPatternMatchesEveryExecutionOfOneGraph() {
        assertThat(channels.graphPattern("U", "G")).isEqualTo("execution_event/U/G/*");
    }

    @Test
    void classicChannelIsBusUserGraphExecution() {
        assertThat(channels.executionChannel("U", "G", "E")).isEqualTo("execution_event/U/G/E");
    }

    @Test
    void shardedChannelsUseALiteralHashTagOfUserAndGraph() {
        assertThat(channels.shardedExecutionChannel("U", "G", "E")).isEqualTo("execution_event/{U/G}/exec/E");
        assertThat(channels.shardedGraphChannel("U", "G")).isEqualTo("execution_event/{U/G}/all");
    }

    @Test
    void notificationChannelIsBusSlashUser() {
        assertThat(channels.notificationChannel("U")).isEqualTo("notification_event/U");
    }

    @Test
    void globMetacharactersInIdsAreEscaped() {
        assertThat(RedisChannels.globEscape("a*b?c[d]e\\f")).isEqualTo("a\\*b\\?c\\[d\\]e\\\\f");
        assertThat(channels.executionPattern("u*", "e?[1]")).isEqualTo("execution_event/u\\*/*/e\\?\\[1\\]");
        assertThat(channels.graphPattern("u\\", "g*")).isEqualTo("execution_event/u\\\\/g\\*/*");
    }

    @Test
    void bracesAndOtherCharactersAreLeftAlone() {
        assertThat(RedisChannels.globEscape("{u/g}-^!|#")).isEqualTo("{u/g}-^!|#");
        String plain = "3e53486c-cf57-477e-ba2a-cb02dc828e1a";
        assertThat(RedisChannels.globEscape(plain)).isSameAs(plain);
    }

    @Test
    void busNamesAreConfigurable() {
        RedisChannels custom = new RedisChannels("exec_bus", "notif_bus");
        assertThat(custom.executionPattern("U", "E")).isEqualTo("exec_bus/U/*/E");
        assertThat(custom.shardedGraphChannel("U", "G")).isEqualTo("exec_bus/{U/G}/all");
        assertThat(custom.notificationChannel("U")).isEqualTo("notif_bus/U");
    }
}
