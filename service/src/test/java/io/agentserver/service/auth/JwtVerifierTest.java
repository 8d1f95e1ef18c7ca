package io.agentserver.service.auth;

import static io.agentserver.service.auth.TestTokens.AUDIENCE;
import static io.agentserver.service.auth.TestTokens.SECRET;
import static io.agentserver.service.auth.TestTokens.base64Url;
import static io.agentserver.service.auth.TestTokens.claims;
import static io.agentserver.service.auth.TestTokens.hmac;
import static io.agentserver.service.auth.TestTokens.hs256;
import static io.agentserver.service.auth.TestTokens.pem;
import static io.agentserver.service.auth.TestTokens.publicKey;
import static io.agentserver.service.auth.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final String USER = "0b8f5e0e-6d3c-4d7e-9a43-2f1c6f1b9a11";

    private static RSAKey rsa;
    private static ECKey ec;

    private final JwtVerifier hs256 = JwtVerifier.create(hmac("HS256", SECRET));

    @BeforeAll
    static void generateKeys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).generate();
        ec = new ECKeyGenerator(Curve.P_256).generate();
    }

    @Test
    void validTokenWithSubjectAndAudienceIsValid() {
        assertThat(hs256.verify(hs256(SECRET, claims(USER).build())))
                .isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo(USER));
    }

    @Test
    void absentOrBlankTokenIsMissing() {
        assertThat(hs256.verify(null)).isEqualTo(new TokenCheck.Missing());
        assertThat(hs256.verify("")).isEqualTo(new TokenCheck.Missing());
        assertThat(hs256.verify("   ")).isEqualTo(new TokenCheck.Missing());
    }

    @Test
    void validTokenWithoutSubjectIsNoSubject() {
        assertThat(hs256.verify(hs256(SECRET, claims(null).build()))).isEqualTo(new TokenCheck.NoSubject());
    }

    @Test
    void tokenExpiredLongerAgoThanTheLeewayIsInvalid() {
        JWTClaimsSet expired = claims(USER).expirationTime(Date.from(Instant.now()
                .minus(AuthSettings.DEFAULT_LEEWAY).minusSeconds(2))).build();
        assertInvalidBecause(hs256.verify(hs256(SECRET, expired)), "Expired JWT");
    }

    @Test
    void tokenExpiredWithinTheLeewayIsStillValidAndExpiresWhenTheLeewayEnds() {
        Instant exp = Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet skewed = claims(USER).expirationTime(Date.from(exp)).build();
        assertThat(hs256.verify(hs256(SECRET, skewed))).isInstanceOfSatisfying(TokenCheck.Valid.class,
                v -> assertThat(v.identity().expiresAt()).contains(exp.plus(AuthSettings.DEFAULT_LEEWAY)));
    }

    @Test
    void aValidTokensIdentityExpiresAtExpPlusTheLeeway() {
        Instant exp = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(hs256.verify(hs256(SECRET, claims(USER).expirationTime(Date.from(exp)).build())))
                .isInstanceOfSatisfying(TokenCheck.Valid.class,
                        v -> assertThat(v.identity().expiresAt()).contains(exp.plus(AuthSettings.DEFAULT_LEEWAY)));
    }

    @Test
    void tokenWithoutExpiryIsInvalidByDefault() {
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().subject(USER).audience(AUDIENCE).build();
        assertInvalidBecause(hs256.verify(hs256(SECRET, noExpiry)), "missing required claims: [exp]");
    }

    @Test
    void theIssuerMustMatchWhenOneIsConfigured() {
        JwtVerifier withIssuer = JwtVerifier.create(new AuthSettings(true, "HS256", Optional.of(SECRET),
                Optional.empty(), Optional.empty(), AUDIENCE, false, true, AuthSettings.DEFAULT_LEEWAY,
                Optional.of("https://auth.example.com/")));
        assertThat(withIssuer.verify(hs256(SECRET, claims(USER).issuer("https://auth.example.com/").build())))
                .isInstanceOf(TokenCheck.Valid.class);
        assertInvalidBecause(withIssuer.verify(hs256(SECRET, claims(USER).issuer("https://evil.example.com/").build())),
                "JWT iss claim value rejected");
        assertInvalidBecause(withIssuer.verify(hs256(SECRET, claims(USER).build())), "JWT missing required claims: [iss]");
        assertThat(hs256.verify(hs256(SECRET, claims(USER).issuer("https://anyone.example.com/").build())))
                .as("no issuer configured: any").isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void expiredTokenWithoutSubjectIsInvalidNotNoSubject() {
        JWTClaimsSet expired = claims(null).expirationTime(Date.from(Instant.now().minus(AuthSettings.DEFAULT_LEEWAY)
                .minusSeconds(2))).build();
        assertThat(hs256.verify(hs256(SECRET, expired))).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void tokenNotYetValidIsInvalid() {
        JWTClaimsSet early = claims(USER).notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build();
        assertInvalidBecause(hs256.verify(hs256(SECRET, early)), "JWT before use time");
    }

    @Test
    void tokenWithoutExpiryIsValidWhenExpIsNotRequiredAndNeverExpires() {
        JwtVerifier lenient = JwtVerifier.create(new AuthSettings(true, "HS256", Optional.of(SECRET), Optional.empty(),
                Optional.empty(), AUDIENCE, false, false, AuthSettings.DEFAULT_LEEWAY, Optional.empty()));
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder().subject(USER).audience(AUDIENCE).build();
        assertThat(lenient.verify(hs256(SECRET, noExpiry))).isInstanceOfSatisfying(TokenCheck.Valid.class,
                v -> assertThat(v.identity().expiresAt()).isEmpty());
    }

    @Test
    void tokenForAnotherAudienceIsInvalid() {
        JWTClaimsSet other = claims(USER).audience("anon").build();
        assertInvalidBecause(hs256.verify(hs256(SECRET, other)), "aud claim rejected");
    }

    @Test
    void tokenWithoutAudienceIsInvalid() {
        JWTClaimsSet none = claims(USER).audience((String) null).build();
        assertThat(hs256.verify(hs256(SECRET, none))).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void audienceArrayContainingTheConfiguredAudienceIsValid() {
        JWTClaimsSet several = claims(USER).audience(List.of("other", AUDIENCE)).build();
        assertThat(hs256.verify(hs256(SECRET, several))).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo(USER));
    }

    @Test
    void configuredAudienceReplacesTheDefault() {
        JwtVerifier custom = JwtVerifier.create(new AuthSettings(true, "HS256", Optional.of(SECRET),
                Optional.empty(), Optional.empty(), "agents", false));
        assertThat(custom.verify(hs256(SECRET, claims(USER).audience("agents").build())))
                .isInstanceOf(TokenCheck.Valid.class);
        assertThat(custom.verify(hs256(SECRET, claims(USER).build()))).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void tokenSignedWithAnotherSecretIsInvalid() {
        String other = "another-secret-of-at-least-thirty-two-bytes!";
        assertInvalidBecause(hs256.verify(hs256(other, claims(USER).build())), "Invalid signature");
    }

    @Test
    void tamperedPayloadIsInvalid() {
        String[] parts = hs256(SECRET, claims(USER).build()).split("\\.");
        String forged = parts[0] + "." + base64Url(claims("someone-else").build().toString()) + "." + parts[2];
        assertThat(hs256.verify(forged)).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void unsignedAlgNoneTokenIsInvalid() {
        String payload = base64Url("{\"sub\":\"" + USER + "\",\"aud\":\"authenticated\"}");
        assertInvalidBecause(hs256.verify(base64Url("{\"alg\":\"none\"}") + "." + payload + "."),
                "Unsecured (plain) JWTs are rejected");
        assertThat(hs256.verify(base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + "."))
                .isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void hs512TokenIsInvalidWhenHs256IsConfigured() throws JOSEException {
        String token = sign(JWSAlgorithm.HS512, new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)),
                claims(USER).build());
        assertInvalidBecause(hs256.verify(token), "Another algorithm expected");
    }

    @Test
    void malformedTokensAreInvalid() {
        for (String garbage : List.of("garbage", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
                "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1))) {
            assertThat(hs256.verify(garbage)).as(garbage).isInstanceOf(TokenCheck.Invalid.class);
        }
    }

    @Test
    void rs256TokenVerifiesWithPemPublicKey() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(publicKey("RS256", pem(rsa.toRSAPublicKey())));
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), claims(USER).build());
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo(USER));
    }

    @Test
    void pemWithEscapedNewlinesFromAnEnvironmentVariableIsAccepted() throws JOSEException {
        String escaped = pem(rsa.toRSAPublicKey()).replace("\n", "\\n");
        JwtVerifier verifier = JwtVerifier.create(publicKey("RS256", escaped));
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), claims(USER).build());
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void rs256TokenSignedWithAnotherKeyIsInvalid() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(publicKey("RS256", pem(rsa.toRSAPublicKey())));
        RSAKey other = new RSAKeyGenerator(2048).generate();
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner(other), claims(USER).build());
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void hs256TokenUsingThePublicKeyAsSecretIsInvalidWhenRs256IsConfigured() throws JOSEException {
        String publicPem = pem(rsa.toRSAPublicKey());
        JwtVerifier verifier = JwtVerifier.create(publicKey("RS256", publicPem));
        String confused = sign(JWSAlgorithm.HS256, new MACSigner(publicPem.getBytes(StandardCharsets.UTF_8)),
                claims(USER).build());
        assertInvalidBecause(verifier.verify(confused), "Another algorithm expected");
    }

    @Test
    void es256TokenVerifiesWithPemPublicKey() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(publicKey("ES256", pem(ec.toECPublicKey())));
        String token = sign(JWSAlgorithm.ES256, new ECDSASigner(ec), claims(USER).build());
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo(USER));
    }

    @Test
    void rs256TokenIsInvalidWhenEs256IsConfigured() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(publicKey("ES256", pem(ec.toECPublicKey())));
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), claims(USER).build());
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Invalid.class);
    }

    @Test
    void publicKeyOfAnotherFamilyIsRefusedAtStartup() throws JOSEException {
        assertThatThrownBy(() -> JwtVerifier.create(publicKey("ES256", pem(rsa.toRSAPublicKey()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_PUBLIC_KEY is a RSA key");
        assertThatThrownBy(() -> JwtVerifier.create(publicKey("RS256", pem(ec.toECPublicKey()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot verify AUTH_JWT_ALGORITHM=RS256");
        assertThatThrownBy(() -> JwtVerifier.create(publicKey("ES384", pem(ec.toECPublicKey()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EC P-256");
    }

    @Test
    void privateKeyOrGarbageAsPublicKeyIsRefusedAtStartup() {
        assertThatThrownBy(() -> JwtVerifier.create(publicKey("RS256",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never a private key");
        assertThatThrownBy(() -> JwtVerifier.create(publicKey("RS256", "not a pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_PUBLIC_KEY is not PEM");
    }

    @Test
    void developmentTokenRoundTripsAndCarriesTheAudience() {
        String token = hs256.issueDevelopmentToken("guest", Duration.ofMinutes(5)).orElseThrow();
        assertThat(hs256.verify(token)).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo("guest"));
    }

    @Test
    void developmentTokenUsesTheConfiguredHmacAlgorithm() {
        JwtVerifier hs512 = JwtVerifier.create(hmac("HS512", SECRET));
        String token = hs512.issueDevelopmentToken("guest", Duration.ofMinutes(5)).orElseThrow();
        assertThat(hs512.verify(token)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void noDevelopmentTokenWithoutASecret() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(publicKey("RS256", pem(rsa.toRSAPublicKey())));
        assertThat(verifier.issueDevelopmentToken("guest", Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void disabledAuthenticationMakesEveryClientTheDevelopmentUser() {
        JwtVerifier disabled = JwtVerifier.create(new AuthSettings(false, "HS256", Optional.of(SECRET),
                Optional.empty(), Optional.empty(), AUDIENCE, false));
        TokenCheck asDevelopmentUser = new TokenCheck.Valid(Identity.DEVELOPMENT_USER);
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.verify(null)).isEqualTo(asDevelopmentUser);
        assertThat(disabled.verify("garbage")).isEqualTo(asDevelopmentUser);
        assertThat(disabled.verify(hs256(SECRET, claims(USER).build()))).isEqualTo(asDevelopmentUser);
        assertThat(Identity.DEVELOPMENT_USER.userId()).isEqualTo("3e53486c-cf57-477e-ba2a-cb02dc828e1a");
        assertThat(hs256.enabled()).isTrue();
    }

    /** Pins the refusal's reason so that a test cannot pass for another one. */
    static void assertInvalidBecause(TokenCheck check, String reasonFragment) {
        assertThat(check).isInstanceOfSatisfying(TokenCheck.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reasonFragment));
    }
}
