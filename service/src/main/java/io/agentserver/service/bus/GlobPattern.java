package io.agentserver.service.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Redis glob pattern as used by {@code PSUBSCRIBE} and {@code KEYS}: {@code *} (any sequence, including
 * {@code /}), {@code ?} (one character), {@code [abc]}, {@code [a-z]} (reversed ranges are swapped),
 * {@code [^a]} (negation), and {@code \} (escapes the next character, also inside brackets). Quirks follow Redis's
 * {@code stringmatchlen}: an unterminated {@code [} extends to the end of the pattern, {@code [a-]} is the range
 * from {@code a} to {@code ]}, and a trailing {@code \} matches itself.
 *
 * <p>Redis compares bytes, this class compares UTF-16 characters; the two agree on ASCII channel names. Matching is
 * linear-time in practice (star backtracking without recursion). Instances are immutable and thread-safe.
 */
public final class GlobPattern {

    private final String pattern;
    private final Token[] tokens;
    private final boolean literal;

    private GlobPattern(String pattern, List<Token> tokens) {
        this.pattern = pattern;
        this.tokens = tokens.toArray(Token[]::new);
        this.literal = tokens.stream().allMatch(token -> token instanceof Literal);
    }

    /** Compiles a pattern; every string is a valid pattern. */
    public static GlobPattern compile(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return new GlobPattern(pattern, tokenize(pattern));
    }

    /** The pattern as given. */
    public String pattern() {
        return pattern;
    }

    /** True if the pattern matches only one string (no wildcard or class). */
    public boolean isLiteral() {
        return literal;
    }

    /** True if {@code text} matches the whole pattern. */
    public boolean matches(String text) {
        int t = 0;
        int s = 0;
        int starToken = -1;
        int starText = -1;
        int length = text.length();
        while (s < length) {
            if (t < tokens.length && tokens[t] instanceof AnySequence) {
                starToken = t++;
                starText = s;
            } else if (t < tokens.length && tokens[t].matches(text.charAt(s))) {
                t++;
                s++;
            } else if (starToken >= 0) {
                t = starToken + 1;
                s = ++starText;
            } else {
                return false;
            }
        }
        while (t < tokens.length && tokens[t] instanceof AnySequence) {
            t++;
        }
        return t == tokens.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static List<Token> tokenize(String p) {
        List<Token> tokens = new ArrayList<>();
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            switch (c) {
                case '*' -> {
                    if (tokens.isEmpty() || !(tokens.getLast() instanceof AnySequence)) {
                        tokens.add(AnySequence.INSTANCE);
                    }
                }
                case '?' -> tokens.add(AnyChar.INSTANCE);
                case '[' -> i = charClass(p, i + 1, tokens);
                case '\\' -> {
                    if (n - i >= 2) {
                        i++;
                    }
                    tokens.add(new Literal(p.charAt(i)));
                }
                default -> tokens.add(new Literal(c));
            }
            i++;
        }
        return tokens;
    }

    /** Parses a class starting after '['; returns the index of its closing ']' (or the last index). */
    private static int charClass(String p, int start, List<Token> tokens) {
        int n = p.length();
        int i = start;
        boolean negated = i < n && p.charAt(i) == '^';
        if (negated) {
            i++;
        }
        StringBuilder from = new StringBuilder();
        StringBuilder to = new StringBuilder();
        while (true) {
            if (i >= n) {
                i = n - 1;
                break;
            }
            char c = p.charAt(i);
            if (c == '\\' && n - i >= 2) {
                i++;
                from.append(p.charAt(i));
                to.append(p.charAt(i));
            } else if (c == ']') {
                break;
            } else if (n - i >= 3 && p.charAt(i + 1) == '-') {
                char a = c;
                char b = p.charAt(i + 2);
                from.append((char) Math.min(a, b));
                to.append((char) Math.max(a, b));
                i += 2;
            } else {
                from.append(c);
                to.append(c);
            }
            i++;
        }
        tokens.add(new CharClass(negated, from.toString(), to.toString()));
        return i;
    }

    private sealed interface Token permits Literal, AnyChar, AnySequence, CharClass {
        boolean matches(char c);
    }

    private record Literal(char value) implements Token {
        @Override
        public boolean matches(char c) {
            return c == value;
        }
    }

    private enum AnyChar implements Token {
        INSTANCE;

        @Override
        public boolean matches(char c) {
            return true;
        }
    }

    private enum AnySequence implements Token {
        INSTANCE;

        @Override
        public boolean matches(char c) {
            return true;
        }
    }

    /** Ranges as parallel strings: character k of {@code from} to character k of {@code to}, inclusive. */
    private record CharClass(boolean negated, String from, String to) implements Token {
        @Override
        public boolean matches(char c) {
            boolean inside = false;
            for (int k = 0; k < from.length() && !inside; k++) {
                inside = c >= from.charAt(k) && c <= to.charAt(k);
            }
            return inside != negated;
        }
    }
}
