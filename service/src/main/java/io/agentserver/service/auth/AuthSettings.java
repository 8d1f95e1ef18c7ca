package io.agentserver.service.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.nimbusds.jose.JWSAlgorithm;
import io.agentserver.service.secrets.Redacted;
import io.helidon.config.Config;

/**
 * How clients are authenticated. Exactly one key source matches the algorithm's family: an HMAC
 * secret for HS*, a PEM public key or a JWKS URL for RS*, PS256 and ES*. The constructor refuses
 * anything else with a message that names the environment variables to fix.
 *
 * @param enabled         {@code false} makes every client {@link Identity#DEVELOPMENT_USER} (development only)
 * @param algorithm       the one accepted JWS algorithm, one of {@link #ALLOWED_ALGORITHMS}
 * @param secret          HMAC secret (its UTF-8 bytes are the key)
 * @param publicKeyPem    PEM public key or certificate for RS*, PS256 and ES*
 * @param jwksUrl         JWKS URL for RS*, PS256 and ES*
 * @param audience        a token's {@code aud} must contain this value
 * @param secretGenerated the secret was generated for this process because none was configured
 * @param requireExp      a token without {@code exp} is refused ({@code AUTH_JWT_REQUIRE_DASH_EXP}); when false
 *                        such a token is valid forever, and its socket never expires
 * @param leeway          clock skew allowed on {@code exp} and {@code nbf} ({@code AUTH_JWT_LEEWAY}); a socket
 *                        whose token expired is closed this long after {@code exp}
 * @param issuer          when present, a token's {@code iss} must equal it ({@code AUTH_JWT_ISSUER})
 */
public record AuthSettings(boolean enabled,
                           String algorithm,
                           Optional<String> secret,
                           Optional<String> publicKeyPem,
                           Optional<String> jwksUrl,
                           String audience,
                           boolean secretGenerated,
                           boolean requireExp,
                           Duration leeway,
                           Optional<String> issuer) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final String DEFAULT_ALGORITHM = "HS256";
    public static final String DEFAULT_AUDIENCE = "authenticated";
    public static final boolean DEFAULT_REQUIRE_EXP = true;
    /** Small: enough for clocks that drift apart, short enough that an expired token soon stops working. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    /** A larger leeway would let expired tokens live on; refused. */
    public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);
    public static final List<String> ALLOWED_ALGORITHMS = List.of(
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256");

    private static final SecureRandom RANDOM = new SecureRandom();

    public AuthSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(leeway, "leeway");
        Objects.requireNonNull(issuer, "issuer");
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("AUTH_JWT_LEEWAY must be between PT0S and " + MAX_LEEWAY + ", got " + leeway);
        }
        issuer = issuer.map(String::strip).filter(s -> !s.isEmpty());
        algorithm = algorithm.strip().toUpperCase(Locale.ROOT);
        if (!ALLOWED_ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("AUTH_JWT_ALGORITHM=" + algorithm
                    + " is not supported; use one of " + String.join(", ", ALLOWED_ALGORITHMS));
        }
        if (audience.isBlank()) {
            throw new IllegalArgumentException("AUTH_JWT_AUDIENCE must not be blank (default "
                    + DEFAULT_AUDIENCE + ")");
        }
        if (secretGenerated && secret.isEmpty()) {
            throw new IllegalArgumentException("secretGenerated needs a secret");
        }
        JWSAlgorithm jws = JWSAlgorithm.parse(algorithm);
        if (AlgorithmFamily.of(jws) == AlgorithmFamily.HMAC) {
            requireHmacKeyOnly(algorithm, jws, secret, publicKeyPem, jwksUrl);
        } else {
            requirePublicKeyOnly(algorithm, secret, publicKeyPem, jwksUrl);
        }
    }

    /** With the defaults for {@code exp} (required), leeway and issuer (not checked). */
    public AuthSettings(boolean enabled, String algorithm, Optional<String> secret, Optional<String> publicKeyPem,
                        Optional<String> jwksUrl, String audience, boolean secretGenerated) {
        this(enabled, algorithm, secret, publicKeyPem, jwksUrl, audience, secretGenerated, DEFAULT_REQUIRE_EXP,
                DEFAULT_LEEWAY, Optional.empty());
    }

    /**
     * Reads {@code auth.enabled}, {@code auth.jwt.algorithm}, {@code auth.jwt.secret},
     * {@code auth.jwt.public-key} (or {@code auth.jwt.public.key}, from {@code AUTH_JWT_PUBLIC_KEY}),
     * {@code auth.jwt.jwks-url} (or {@code auth.jwt.jwks.url}), {@code auth.jwt.audience}, {@code auth.jwt.require-exp},
     * {@code auth.jwt.leeway} and {@code auth.jwt.issuer}. Blank
     * values count as absent. An HMAC algorithm with no key configured at all gets a random secret
     * for this process ({@link #secretGenerated()}).
     *
     * @param config the root configuration
     * @return the settings
     * @throws IllegalArgumentException when the configuration is not usable, with a readable message
     */
    public static AuthSettings from(Config config) {
        Config auth = config.get("auth");
        boolean enabled = text(auth, "enabled").map(AuthSettings::parseEnabled).orElse(DEFAULT_ENABLED);
        String algorithm = text(auth, "jwt.algorithm").orElse(DEFAULT_ALGORITHM);
        Optional<String> secret = auth.get("jwt.secret").asString().asOptional().filter(s -> !s.isBlank());
        Optional<String> publicKeyPem = text(auth, "jwt.public-key").or(() -> text(auth, "jwt.public.key"));
        Optional<String> jwksUrl = text(auth, "jwt.jwks-url").or(() -> text(auth, "jwt.jwks.url"));
        String audience = text(auth, "jwt.audience").orElse(DEFAULT_AUDIENCE);

        boolean generate = algorithm.strip().toUpperCase(Locale.ROOT).startsWith("HS")
                && secret.isEmpty() && publicKeyPem.isEmpty() && jwksUrl.isEmpty();
        if (generate) {
            secret = Optional.of(randomSecret(algorithm));
        }
        boolean requireExp = text(auth, "jwt.require-exp").map(v -> parseBoolean("AUTH_JWT_REQUIRE_DASH_EXP", v))
                .orElse(DEFAULT_REQUIRE_EXP);
        Duration leeway = auth.get("jwt.leeway").as(Duration.class).orElse(DEFAULT_LEEWAY);
        return new AuthSettings(enabled, algorithm, secret, publicKeyPem, jwksUrl, audience, generate, requireExp,
                leeway, text(auth, "jwt.issuer"));
    }

    /** The secret's key bytes, if an HMAC secret is set. */
    Optional<byte[]> secretBytes() {
        return secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AuthSettings[enabled=" + enabled
                + ", algorithm=" + algorithm
                + ", secret=" + (secret.isPresent() ? (secretGenerated ? "<generated>" : "<configured>") : "<none>")
                + ", publicKeyPem=" + (publicKeyPem.isPresent() ? "<configured>" : "<none>")
                + ", jwksUrl=" + Redacted.url(jwksUrl)
                + ", audience=" + audience + ", requireExp=" + requireExp + ", leeway=" + leeway
                + ", issuer=" + issuer.orElse("<any>") + "]";
    }

    private static void requireHmacKeyOnly(String algorithm,
                                           JWSAlgorithm jws,
                                           Optional<String> secret,
                                           Optional<String> publicKeyPem,
                                           Optional<String> jwksUrl) {
        if (publicKeyPem.isPresent() || jwksUrl.isPresent()) {
            throw new IllegalArgumentException("AUTH_JWT_ALGORITHM=" + algorithm
                    + " verifies with AUTH_JWT_SECRET, but AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_URL is set;"
                    + " for a public key set AUTH_JWT_ALGORITHM to RS256 or ES256 (and unset AUTH_JWT_SECRET)");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("AUTH_JWT_ALGORITHM=" + algorithm + " needs AUTH_JWT_SECRET");
        }
        int length = secret.get().getBytes(StandardCharsets.UTF_8).length;
        int minimum = AlgorithmFamily.minimumSecretBytes(jws);
        if (length < minimum) {
            throw new IllegalArgumentException("AUTH_JWT_SECRET is too short for " + algorithm + ": "
                    + length + " bytes, at least " + minimum + " bytes (" + minimum * 8 + " bits) required");
        }
    }

    private static void requirePublicKeyOnly(String algorithm,
                                             Optional<String> secret,
                                             Optional<String> publicKeyPem,
                                             Optional<String> jwksUrl) {
        if (secret.isPresent()) {
            throw new IllegalArgumentException("AUTH_JWT_ALGORITHM=" + algorithm
                    + " verifies with a public key, but AUTH_JWT_SECRET is set; unset it, or use HS256");
        }
        if (publicKeyPem.isPresent() == jwksUrl.isPresent()) {
            throw new IllegalArgumentException("AUTH_JWT_ALGORITHM=" + algorithm
                    + " needs exactly one of AUTH_JWT_PUBLIC_KEY (PEM) or AUTH_JWT_JWKS_URL"
                    + (publicKeyPem.isPresent() ? "; both are set" : "; neither is set"));
        }
        jwksUrl.ifPresent(AuthSettings::requireHttpUrl);
    }

    private static void requireHttpUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AUTH_JWT_JWKS_URL is not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("AUTH_JWT_JWKS_URL must be an http(s) URL: " + url);
        }
    }

    private static boolean parseEnabled(String value) {
        return parseBoolean("AUTH_ENABLED", value);
    }

    private static boolean parseBoolean(String variable, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(variable + " must be true or false, not '" + value + "'");
        };
    }

    private static String randomSecret(String algorithm) {
        JWSAlgorithm jws = JWSAlgorithm.parse(algorithm.strip().toUpperCase(Locale.ROOT));
        // Base64url text of n random bytes is longer than n bytes, so it meets the minimum length.
        byte[] bytes = new byte[Math.max(32, AlgorithmFamily.minimumSecretBytes(jws))];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Optional<String> text(Config node, String key) {
        return node.get(key).asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }
}
