package io.agentserver.service.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrubs text that may carry credentials before a user or a log sees it: the configured secrets themselves
 * wherever they appear, URL user info and credential query parameters ({@link Redacted#url}), bearer and basic
 * authorization values, and strings shaped like API keys ({@code sk-…}, {@code xox…-…}, {@code ghp_…}, JWTs).
 * Immutable and thread-safe.
 */
public final class Redactor {

    /** Knows no configured secret; still removes the shapes above. */
    public static final Redactor PATTERNS_ONLY = new Redactor(List.of());

    /** Shorter configured values are not scrubbed verbatim: they would mangle ordinary words. */
    static final int SHORTEST_SECRET = 6;
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)\\b(bearer|basic|token)(\\s+)[A-Za-z0-9._~+/=-]{6,}");
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "\\b(?:sk-[A-Za-z0-9_-]{8,}|sk_[A-Za-z0-9_]{8,}|xox[abprs]-[A-Za-z0-9-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}"
                    + "|AKIA[0-9A-Z]{16}|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor that also removes each of {@code secrets} (blank and very short values are ignored). */
    public static Redactor of(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.strip().length() >= SHORTEST_SECRET) {
                kept.add(s.strip());
            }
        }
        kept.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(kept));
    }

    /** The same redactor, also removing {@code more}. */
    public Redactor and(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return of(all);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Redacted.MASK);
        }
        out = Redacted.url(out);
        out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + Redacted.MASK));
        return KEY_SHAPES.matcher(out).replaceAll(Redacted.MASK);
    }

    /**
     * {@link #redact} on one line (control characters become spaces, runs of blanks one space), cut to at most
     * {@code maxChars} characters with an ellipsis: how an upstream's words appear in a failed step.
     */
    public String excerpt(String text, int maxChars) {
        String line = redact(text).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return line.length() <= maxChars ? line : line.substring(0, Math.max(0, maxChars - 1)) + "…";
    }
}
