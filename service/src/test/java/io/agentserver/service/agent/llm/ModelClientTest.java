package io.agentserver.service.agent.llm;

import com.openai.core.http.Headers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ModelClientTest {

    @Test
    void retryAfterIsReadInSecondsOrOpenAisMilliseconds() {
        assertThat(ModelClient.retryAfter(Headers.builder().put("Retry-After", "2").build()))
                .contains(Duration.ofSeconds(2));
        assertThat(ModelClient.retryAfter(Headers.builder().put("retry-after", "0.25").build()))
                .contains(Duration.ofMillis(250));
        assertThat(ModelClient.retryAfter(Headers.builder().put("retry-after-ms", "1500").put("Retry-After", "9").build()))
                .contains(Duration.ofMillis(1500));
    }

    @Test
    void retryAfterAsADateOrAbsentLeavesTheBackOff() {
        assertThat(ModelClient.retryAfter(Headers.builder().put("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT").build()))
                .isEmpty();
        assertThat(ModelClient.retryAfter(Headers.builder().build())).isEmpty();
    }
}
