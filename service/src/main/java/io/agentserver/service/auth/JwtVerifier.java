package io.agentserver.service.auth;

import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies client JWTs against the one configured algorithm and key. A token signed with any other
 * algorithm (including {@code none}) is {@link TokenCheck.Invalid}, which rules out algorithm
 * confusion. The audience must contain the configured value, the issuer must equal the configured one (when
 * set), {@code exp} must be present (unless configured otherwise) and {@code exp}/{@code nbf} hold with the
 * configured leeway. A valid token's {@link Identity} carries when it expires; {@link #expiry()} closes what was
 * opened with it at that moment. Thread-safe; {@link #verify} never throws.
 */
public final class JwtVerifier implements AutoCloseable {

    /** Longer tokens are refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(JwtVerifier.class.getName());
    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final AuthSettings settings;
    private final JWSAlgorithm algorithm;
    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final TokenExpiry expiry = new TokenExpiry();

    private JwtVerifier(AuthSettings settings, JWSAlgorithm algorithm, ConfigurableJWTProcessor<SecurityContext> processor) {
        this.settings = settings;
        this.algorithm = algorithm;
        this.processor = processor;
    }

    /**
     * Builds the verifier once, with its key.
     *
     * @param settings validated settings
     * @return the verifier
     * @throws IllegalArgumentException when the key cannot be read or does not fit the algorithm
     */
    public static JwtVerifier create(AuthSettings settings) {
        Objects.requireNonNull(settings, "settings");
        JWSAlgorithm algorithm = JWSAlgorithm.parse(settings.algorithm());

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null));
        processor.setJWSKeySelector(keySelector(settings, algorithm));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.audience()), exact.build(), settings.requireExp() ? Set.of("exp") : Set.of(), Set.of());
        claims.setMaxClockSkew((int) settings.leeway().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);

        if (settings.enabled()) {
            LOG.log(Level.INFO, "JWT authentication: {0}, audience {1}, issuer {2}, exp {3}, leeway {4}, key from {5}",
                    settings.algorithm(), settings.audience(), settings.issuer().orElse("any"),
                    settings.requireExp() ? "required" : "optional", settings.leeway(), keyOrigin(settings));
        } else {
            LOG.log(Level.WARNING, "AUTHENTICATION IS DISABLED (AUTH_ENABLED=false): every WebSocket client is"
                    + " user {0}. Development only — never run this way in production.",
                    Identity.DEVELOPMENT_USER.userId());
        }
        return new JwtVerifier(settings, algorithm, processor);
    }

    /**
     * Checks a token. With authentication disabled, every call, even without a token, is
     * {@link Identity#DEVELOPMENT_USER}.
     *
     * @param tokenOrNull the token as the client sent it, or {@code null}
     * @return the outcome; never {@code null}, never throws
     */
    public TokenCheck verify(String tokenOrNull) {
        if (!settings.enabled()) {
            return new TokenCheck.Valid(Identity.DEVELOPMENT_USER);
        }
        if (tokenOrNull == null || tokenOrNull.isBlank()) {
            return new TokenCheck.Missing();
        }
        if (tokenOrNull.length() > MAX_TOKEN_LENGTH) {
            return new TokenCheck.Invalid("token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        try {
            JWTClaimsSet claims = processor.process(tokenOrNull, null);
            String subject = claims.getSubject();
            if (subject == null || subject.isBlank()) {
                return new TokenCheck.NoSubject();
            }
            return new TokenCheck.Valid(new Identity(subject, Optional.ofNullable(claims.getExpirationTime())
                    .map(exp -> exp.toInstant().plus(settings.leeway()))));
        } catch (ParseException e) {
            return new TokenCheck.Invalid("malformed token: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            return new TokenCheck.Invalid(e.getMessage());
        } catch (RuntimeException e) {
            return new TokenCheck.Invalid("unverifiable token: " + e);
        }
    }

    /** Where sockets opened with an expiring token ask to be closed when it expires. */
    public TokenExpiry expiry() {
        return expiry;
    }

    @Override
    public void close() {
        expiry.close();
    }

    /** @return {@code false} when authentication is disabled (development only) */
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Issues a token that this verifier accepts: signed with the configured HMAC algorithm (HS256 by
     * default), with {@code sub}, the configured audience, {@code iat} and {@code exp}. For the
     * development token logged at startup and for tests.
     *
     * @param subject the user id
     * @param ttl     how long the token is valid, positive
     * @return the token, or empty when the configured key is not an HMAC secret
     */
    public Optional<String> issueDevelopmentToken(String subject, Duration ttl) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(ttl, "ttl");
        if (subject.isBlank() || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("need a non-blank subject and a positive ttl");
        }
        Optional<byte[]> secret = settings.secretBytes();
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(settings.audience())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(secret.get()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the configured secret", e);
        }
        return Optional.of(jwt.serialize());
    }

    private static JWSKeySelector<SecurityContext> keySelector(AuthSettings settings, JWSAlgorithm algorithm) {
        AlgorithmFamily family = AlgorithmFamily.of(algorithm);
        if (family == AlgorithmFamily.HMAC) {
            byte[] secret = settings.secretBytes().orElseThrow();
            return new SingleKeyJWSKeySelector<>(algorithm, new SecretKeySpec(secret, "Hmac" + algorithm.getName()));
        }
        if (settings.publicKeyPem().isPresent()) {
            PublicKey key = PemPublicKey.parse(settings.publicKeyPem().get());
            requireFamily(key, algorithm, family);
            return new SingleKeyJWSKeySelector<>(algorithm, key);
        }
        JWKSource<SecurityContext> jwks;
        try {
            jwks = JWKSourceBuilder.<SecurityContext>create(URI.create(settings.jwksUrl().orElseThrow()).toURL())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("AUTH_JWT_JWKS_URL is not a URL: " + settings.jwksUrl().get(), e);
        }
        // Matches keys by kid (when the token has one), by key type and by algorithm.
        return new JWSVerificationKeySelector<>(algorithm, jwks);
    }

    private static void requireFamily(Key key, JWSAlgorithm algorithm, AlgorithmFamily family) {
        boolean fits = switch (family) {
            case RSA -> key instanceof RSAPublicKey;
            case EC -> key instanceof ECPublicKey ec
                    && Curve.forJWSAlgorithm(algorithm).contains(Curve.forECParameterSpec(ec.getParams()));
            case HMAC -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException("AUTH_JWT_PUBLIC_KEY is a " + describe(key)
                    + " key, which cannot verify AUTH_JWT_ALGORITHM=" + algorithm
                    + " (RS*/PS* need an RSA key, ES256 a P-256, ES384 a P-384, ES512 a P-521 EC key)");
        }
    }

    private static String describe(Key key) {
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            return "EC " + (curve == null ? "(unknown curve)" : curve.getName());
        }
        return key.getAlgorithm();
    }

    private static String keyOrigin(AuthSettings settings) {
        if (settings.secretGenerated()) {
            return "a secret generated for this process (no AUTH_JWT_SECRET configured)";
        }
        if (settings.secret().isPresent()) {
            return "AUTH_JWT_SECRET";
        }
        return settings.publicKeyPem().isPresent() ? "AUTH_JWT_PUBLIC_KEY" : settings.jwksUrl().orElseThrow();
    }
}
