package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobPatternTest {

    private static boolean matches(String pattern, String text) {
        return GlobPattern.compile(pattern).matches(text);
    }

    @Test
    void starMatchesAnySequenceIncludingSlashesAndNothing() {
        assertThat(matches("execution_event/user-1/*", "execution_event/user-1/graph-1/exec-1")).isTrue();
        assertThat(matches("execution_event/user-1/*", "execution_event/user-1/")).isTrue();
        assertThat(matches("execution_event/user-1/*", "execution_event/user-1")).isFalse();
        assertThat(matches("execution_event/user-1/*", "execution_event/user-12/graph-1/exec-1")).isFalse();
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("a**b", "ab")).isTrue();
    }

    @Test
    void starBacktracksToFindALaterMatch() {
        assertThat(matches("*a*b", "xxaxxb")).isTrue();
        assertThat(matches("*a*b", "xxaxx")).isFalse();
        assertThat(matches("*exec-?", "execution_event/u/g/exec-1")).isTrue();
    }

    @Test
    @Timeout(2)
    void manyStarsDoNotBlowUp() {
        String text = "a".repeat(10_000);
        assertThat(matches("a*a*a*a*a*a*a*a*b", text)).isFalse();
        assertThat(matches("*a*a*a*a*a*a*a*a", text)).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(matches("h?llo", "hello")).isTrue();
        assertThat(matches("h?llo", "hllo")).isFalse();
        assertThat(matches("h?llo", "heello")).isFalse();
        assertThat(matches("?", "/")).isTrue();
    }

    @Test
    void bracketsMatchOneOfTheListedCharacters() {
        assertThat(matches("h[ae]llo", "hello")).isTrue();
        assertThat(matches("h[ae]llo", "hallo")).isTrue();
        assertThat(matches("h[ae]llo", "hillo")).isFalse();
        assertThat(matches("h[]llo", "hllo")).isFalse();
    }

    @Test
    void rangesIncludeBothEndsAndMayBeReversed() {
        assertThat(matches("h[a-b]llo", "hallo")).isTrue();
        assertThat(matches("h[a-b]llo", "hbllo")).isTrue();
        assertThat(matches("h[a-b]llo", "hcllo")).isFalse();
        assertThat(matches("h[b-a]llo", "hallo")).isTrue();
        assertThat(matches("id-[0-9][0-9]", "id-42")).isTrue();
        assertThat(matches("id-[0-9][0-9]", "id-4x")).isFalse();
    }

    @Test
    void caretNegatesABracket() {
        assertThat(matches("h[^e]llo", "hallo")).isTrue();
        assertThat(matches("h[^e]llo", "hello")).isFalse();
        assertThat(matches("[^a-c]", "d")).isTrue();
        assertThat(matches("[^a-c]", "b")).isFalse();
    }

    @Test
    void backslashEscapesTheNextCharacter() {
        assertThat(matches("h\\*llo", "h*llo")).isTrue();
        assertThat(matches("h\\*llo", "hello")).isFalse();
        assertThat(matches("h\\?llo", "h?llo")).isTrue();
        assertThat(matches("h\\?llo", "hallo")).isFalse();
        assertThat(matches("h[\\]]llo", "h]llo")).isTrue();
        assertThat(matches("h\\\\llo", "h\\llo")).isTrue();
        assertThat(matches("a\\", "a\\")).isTrue();
    }

    @Test
    void quirksFollowRedis() {
        assertThat(matches("h[a", "ha")).as("unterminated bracket runs to the end").isTrue();
        assertThat(matches("h[a", "hb")).isFalse();
        assertThat(matches("[a-]", "_")).as("[a-] is the range from ']' to 'a'").isTrue();
        assertThat(matches("[a-]", "b")).isFalse();
        assertThat(matches("h[-]llo", "h-llo")).isTrue();
    }

    @Test
    void bracesAreLiteral() {
        assertThat(matches("execution_event/{u/g}/exec/*", "execution_event/{u/g}/exec/e1")).isTrue();
        assertThat(matches("execution_event/{u/g}/exec/*", "execution_event/u/g/exec/e1")).isFalse();
    }

    @Test
    void literalPatternsAreRecognised() {
        assertThat(GlobPattern.compile("execution_event/u/g/e").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("a\\*").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("a*").isLiteral()).isFalse();
        assertThat(GlobPattern.compile("a[b]").isLiteral()).isFalse();
        assertThat(GlobPattern.compile("a\\*").matches("a*")).isTrue();
    }
}
