package io.agentserver.service.a2a;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseFramesTest {

    @Test
    void anEventIsItsIdThenItsDataThenABlankLine() {
        assertThat(text(SseFrames.event(Optional.of("3.1"), "{\"a\":1}"))).isEqualTo("id: 3.1\ndata: {\"a\":1}\n\n");
        assertThat(text(SseFrames.event(Optional.empty(), "x"))).isEqualTo("data: x\n\n");
    }

    @Test
    void dataOfSeveralLinesIsOneDataLineEach() {
        assertThat(text(SseFrames.event(Optional.empty(), "a\nb\r\nc\rd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void anIdIsOneLine() {
        assertThatThrownBy(() -> SseFrames.event(Optional.of("a\nb"), "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
