package io.agentserver.service.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessMonitorTest {

    @Test
    void theTickIsAFifthOfTheShortestPingIntervalBetweenATenthOfASecondAndASecond() {
        assertThat(LivenessMonitor.tickFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(400));
        assertThat(LivenessMonitor.tickFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(LivenessMonitor.tickFor(Duration.ofSeconds(30))).isEqualTo(LivenessMonitor.MAX_TICK);
        assertThat(LivenessMonitor.tickFor(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
    }
}
