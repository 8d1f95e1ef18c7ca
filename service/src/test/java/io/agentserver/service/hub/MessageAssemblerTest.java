package io.agentserver.service.hub;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageAssemblerTest {

    @Test
    void fragmentsJoinIntoOneMessage() {
        MessageAssembler assembler = new MessageAssembler(100);
        assertThat(assembler.add("{\"a\":", false)).isInstanceOf(MessageAssembler.Partial.class);
        assertThat(assembler.add("1}", true)).isEqualTo(new MessageAssembler.Complete("{\"a\":1}"));
        assertThat(assembler.add("next", true)).isEqualTo(new MessageAssembler.Complete("next"));
    }

    @Test
    void theTailOfARefusedMessageNeverCompletes() {
        MessageAssembler assembler = new MessageAssembler(10);
        assertThat(assembler.add("12345678", false)).isInstanceOf(MessageAssembler.Partial.class);
        assertThat(assembler.add("12345", false)).isEqualTo(new MessageAssembler.TooBig(13));
        assertThat(assembler.add("{\"type\":1}", true)).isInstanceOf(MessageAssembler.Discarded.class);
        assertThat(assembler.add("ok", true)).isInstanceOf(MessageAssembler.Discarded.class);
    }

    @Test
    void theLimitCountsUtf8BytesNotChars() {
        MessageAssembler assembler = new MessageAssembler(10);
        // 6 chars, 12 bytes: two bytes each
        assertThat(assembler.add("éééééé", true)).isEqualTo(new MessageAssembler.TooBig(12));
        MessageAssembler exact = new MessageAssembler(10);
        assertThat(exact.add("ééééé", true)).isEqualTo(new MessageAssembler.Complete("ééééé"));
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        String text = "a\u00e9\u20ac\uD83D\uDE00x";
        assertThat(MessageAssembler.utf8Length(text))
                .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
