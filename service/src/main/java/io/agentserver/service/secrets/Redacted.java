package io.agentserver.service.secrets;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/** How settings records print values that are or may hold secrets. */
public final class Redacted {

    /** What stands in for a removed secret. */
    public static final String MASK = "***";
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:api[_-]?key|key|token|access[_-]?token|password|passwd|pwd|secret|sig|signature)=)[^&;#\\s]*");

    private Redacted() {
    }

    /** {@code <set>} or {@code <none>}: whether a secret is configured, never its value. */
    public static String presence(Optional<String> secret) {
        return secret.filter(s -> !s.isEmpty()).isPresent() ? "<set>" : "<none>";
    }

    /** {@code <set>} or {@code <none>} for a plain string (empty counts as none). */
    public static String presence(String secret) {
        return presence(Optional.ofNullable(secret));
    }

    /**
     * A URL (or any text holding URLs, a JDBC URL included) without user info ({@code redis://:pw@host} →
     * {@code redis://***@host}) and without the values of query parameters that usually carry credentials.
     */
    public static String url(String url) {
        if (url == null) {
            return "null";
        }
        String withoutUser = USER_INFO.matcher(url).replaceAll("$1" + MASK + "@");
        return SECRET_QUERY.matcher(withoutUser).replaceAll("$1" + MASK);
    }

    public static String url(URI url) {
        return url(url == null ? null : url.toString());
    }

    public static String url(Optional<String> url) {
        return url.map(Redacted::url).orElse("<none>");
    }
}
