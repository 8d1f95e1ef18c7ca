package io.agentserver.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----";

    private static AuthSettings from(Map<String, String> values) {
        return AuthSettings.from(Config.just(ConfigSources.create(values)));
    }

    @Test
    void defaultsAreEnabledHs256WithAuthenticatedAudienceAndAGeneratedSecret() {
        AuthSettings settings = from(Map.of());
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.algorithm()).isEqualTo("HS256");
        assertThat(settings.audience()).isEqualTo("authenticated");
        assertThat(settings.secretGenerated()).isTrue();
        assertThat(settings.secret()).hasValueSatisfying(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(43));
        assertThat(settings.publicKeyPem()).isEmpty();
        assertThat(settings.jwksUrl()).isEmpty();
    }

    @Test
    void generatedSecretDiffersPerProcessAndItsDevelopmentTokenRoundTrips() {
        AuthSettings settings = from(Map.of());
        assertThat(from(Map.of()).secret()).isNotEqualTo(settings.secret());
        JwtVerifier verifier = JwtVerifier.create(settings);
        String token = verifier.issueDevelopmentToken("guest", Duration.ofHours(1)).orElseThrow();
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo("guest"));
    }

    @Test
    void generatedSecretIsLongEnoughForHs512() {
        AuthSettings settings = from(Map.of("auth.jwt.algorithm", "hs512"));
        assertThat(settings.algorithm()).isEqualTo("HS512");
        assertThat(settings.secretGenerated()).isTrue();
        JwtVerifier verifier = JwtVerifier.create(settings);
        assertThat(verifier.verify(verifier.issueDevelopmentToken("guest", Duration.ofHours(1)).orElseThrow()))
                .isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void configuredValuesAreRead() {
        AuthSettings settings = from(Map.of(
                "auth.enabled", "false",
                "auth.jwt.secret", TestTokens.SECRET,
                "auth.jwt.audience", "agents"));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.secret()).contains(TestTokens.SECRET);
        assertThat(settings.secretGenerated()).isFalse();
        assertThat(settings.audience()).isEqualTo("agents");
    }

    @Test
    void publicKeyAndJwksUrlAreReadFromEnvironmentStyleKeys() {
        AuthSettings pem = from(Map.of("auth.jwt.algorithm", "RS256", "auth.jwt.public.key", PEM));
        assertThat(pem.publicKeyPem()).contains(PEM);
        assertThat(pem.secret()).isEmpty();
        AuthSettings jwks = from(Map.of("auth.jwt.algorithm", "ES256", "auth.jwt.jwks.url", "https://example.com/jwks"));
        assertThat(jwks.jwksUrl()).contains("https://example.com/jwks");
        AuthSettings dashed = from(Map.of("auth.jwt.algorithm", "RS256", "auth.jwt.jwks-url", "http://127.0.0.1/j"));
        assertThat(dashed.jwksUrl()).contains("http://127.0.0.1/j");
    }

    @Test
    void secretShorterThan32BytesIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.secret", "too-short")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AUTH_JWT_SECRET is too short for HS256: 9 bytes, at least 32 bytes (256 bits) required");
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "HS512", "auth.jwt.secret", "x".repeat(32))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 64 bytes");
    }

    @Test
    void asymmetricAlgorithmWithoutKeyIsRefused() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "RS256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs exactly one of AUTH_JWT_PUBLIC_KEY (PEM) or AUTH_JWT_JWKS_URL; neither is set");
    }

    @Test
    void mixedKeySourcesAreRefused() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.public-key", PEM)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_ALGORITHM=HS256 verifies with AUTH_JWT_SECRET");
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "RS256", "auth.jwt.secret", TestTokens.SECRET,
                "auth.jwt.public-key", PEM)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_SECRET is set");
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "RS256", "auth.jwt.public-key", PEM,
                "auth.jwt.jwks-url", "https://example.com/jwks")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both are set");
    }

    @Test
    void unknownAlgorithmsAndNoneAreRefused() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "none")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_ALGORITHM=NONE is not supported");
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "EdDSA")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enabledFlagOtherThanTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> from(Map.of("auth.enabled", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_ENABLED must be true or false");
    }

    @Test
    void jwksUrlMustBeHttp() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.algorithm", "RS256", "auth.jwt.jwks-url", "file:///etc/jwks")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTH_JWT_JWKS_URL must be an http(s) URL");
    }

    @Test
    void expIsRequiredWithAThirtySecondLeewayAndNoIssuerByDefault() {
        AuthSettings settings = from(Map.of());
        assertThat(settings.requireExp()).isTrue();
        assertThat(settings.leeway()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(settings.issuer()).isEmpty();
    }

    @Test
    void expLeewayAndIssuerAreRead() {
        AuthSettings settings = from(Map.of("auth.jwt.require-exp", "false", "auth.jwt.leeway", "PT5S",
                "auth.jwt.issuer", " https://auth.example.com/ "));
        assertThat(settings.requireExp()).isFalse();
        assertThat(settings.leeway()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(settings.issuer()).contains("https://auth.example.com/");
    }

    @Test
    void aLeewayOverFiveMinutesOrARequireExpOtherThanTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> from(Map.of("auth.jwt.leeway", "PT10M")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTH_JWT_LEEWAY");
        assertThatThrownBy(() -> from(Map.of("auth.jwt.require-exp", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTH_JWT_REQUIRE_DASH_EXP");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        AuthSettings settings = new AuthSettings(true, "HS256", Optional.of(TestTokens.SECRET), Optional.empty(),
                Optional.empty(), "authenticated", false);
        assertThat(settings.toString()).doesNotContain(TestTokens.SECRET).contains("<configured>");
    }
}
