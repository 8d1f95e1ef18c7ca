package io.agentserver.service.agent;

import io.agentserver.service.agent.demo.DemoScript;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DemoScriptTest {

    @Test
    void aPlainGoalGetsAShortDefaultRun() {
        DemoScript script = DemoScript.from(Json.object().put("goal", "g"));
        assertThat(script.subtasks()).isEqualTo(2);
        assertThat(script.inner()).isEqualTo(2);
        assertThat(script.delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(script.askHuman()).isFalse();
        assertThat(script.failure()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreClampedSoARunStaysBounded() {
        var args = Json.object();
        args.putObject("demo").put("subtasks", 1000).put("inner", -3).put("delay_ms", 999_999).put("fail", " ");
        DemoScript script = DemoScript.from(args);
        assertThat(script.subtasks()).isEqualTo(10);
        assertThat(script.inner()).isEqualTo(1);
        assertThat(script.delay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(script.failure()).isEmpty();
    }
}
