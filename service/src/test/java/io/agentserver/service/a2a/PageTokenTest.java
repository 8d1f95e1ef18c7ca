package io.agentserver.service.a2a;

import io.agentserver.service.store.A2aTaskStore.Position;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PageTokenTest {

    @Test
    void aTokenNamesThePositionItWasMadeFrom() {
        Position position = new Position(Instant.parse("2026-05-06T07:08:09.123456Z"), "abc|def");
        assertThat(PageToken.parse(PageToken.of(position))).contains(position);
    }

    @Test
    void anythingElseIsNoToken() {
        for (String token : new String[] {"", "nope!", "djF8MXwy", "eDF8MXwyfGFiYw", "djF8eHwyfGFiYw"}) {
            assertThat(PageToken.parse(token)).as(token).isEmpty();
        }
    }
}
