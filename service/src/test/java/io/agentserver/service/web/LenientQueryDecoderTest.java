package io.agentserver.service.web;

import io.helidon.common.parameters.Parameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values are what Python 3's {@code urllib.parse.parse_qs} returns for the same input. */
class LenientQueryDecoderTest {

    @Test
    void aRawPercentThatIsNoEscapeStaysAsTyped() {
        Parameters fields = LenientQueryDecoder.parse("description=grow%20by%2010%&token=x%zz%4");
        assertThat(fields.get("description")).isEqualTo("grow by 10%");
        assertThat(fields.get("token")).isEqualTo("x%zz%4");
    }

    @Test
    void plusIsASpaceAndUtf8EscapesDecode() {
        assertThat(LenientQueryDecoder.decode("a+b%C3%A9%E2%82%AC")).isEqualTo("a b\u00e9\u20ac");
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() {
        assertThat(LenientQueryDecoder.decode("%FFok")).isEqualTo("\uFFFDok");
    }

    @Test
    void rawNonAsciiTextIsKept() {
        assertThat(LenientQueryDecoder.parse("d=caf\u00e9 \uD83D\uDE00").get("d")).isEqualTo("caf\u00e9 \uD83D\uDE00");
    }

    @Test
    void repeatedFieldsKeepEveryValueAndPairsWithoutEqualsAreDropped() {
        Parameters fields = LenientQueryDecoder.parse("f=1&f=2&flag&e=");
        assertThat(fields.all("f")).containsExactly("1", "2");
        assertThat(fields.contains("flag")).isFalse();
        assertThat(fields.get("e")).isEmpty();
    }
}
