package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** JWT verification: a key from a Secret, or a JWKS url; neither means a generated HS256 secret. */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!(has(self.secretRef) && has(self.jwksUrl))",
        message = "auth: give secretRef or jwksUrl, not both")
@ValidationRule(value = "!has(self.algorithm) || self.algorithm == 'HS256' || has(self.secretRef) || has(self.jwksUrl)",
        message = "auth: RS256 and ES256 need secretRef (a PEM public key) or jwksUrl")
@ValidationRule(value = "!has(self.jwksUrl) || (has(self.algorithm) && self.algorithm != 'HS256')",
        message = "auth: a jwksUrl serves public keys; set algorithm RS256 or ES256 (HS256 needs a shared secret)")
public class AuthSpec {

    /** HS256 keys shorter than the hash output (RFC 7518 section 3.2) are refused by the service. */
    public static final int MIN_HS256_SECRET_BYTES = 32;

    public static final String DEFAULT_AUDIENCE = "authenticated";

    @Default("true")
    @JsonPropertyDescription("Verify JWTs; false is for development only")
    private Boolean enabled;

    @Default("HS256")
    @JsonPropertyDescription("Signature algorithm of the tokens")
    private JwtAlgorithm algorithm;

    @JsonPropertyDescription("Secret key holding the HS256 shared secret, or the PEM public key for RS256/ES256."
            + " Absent with no jwksUrl: the operator generates an HS256 secret (key jwt-secret of <name>-credentials)")
    private SecretKeyRef secretRef;

    @Pattern("^https?://.+")
    @JsonPropertyDescription("JWKS url to fetch verification keys from")
    private String jwksUrl;

    @Default(DEFAULT_AUDIENCE)
    @JsonPropertyDescription("Expected audience (aud) of the tokens")
    private String audience;

    @Default("false")
    @JsonPropertyDescription("Seed the XAgent guest user (guest/xagent); keep false in production")
    private Boolean guestEnabled;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public JwtAlgorithm getAlgorithm() { return algorithm; }
    public void setAlgorithm(JwtAlgorithm algorithm) { this.algorithm = algorithm; }
    public SecretKeyRef getSecretRef() { return secretRef; }
    public void setSecretRef(SecretKeyRef secretRef) { this.secretRef = secretRef; }
    public String getJwksUrl() { return jwksUrl; }
    public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public Boolean getGuestEnabled() { return guestEnabled; }
    public void setGuestEnabled(Boolean guestEnabled) { this.guestEnabled = guestEnabled; }

    public boolean enabledOrDefault() { return enabled == null || enabled; }
    public JwtAlgorithm algorithmOrDefault() { return algorithm == null ? JwtAlgorithm.HS256 : algorithm; }
    public String audienceOrDefault() { return audience == null ? DEFAULT_AUDIENCE : audience; }
    public boolean guestEnabledOrDefault() { return guestEnabled != null && guestEnabled; }

    /** True when the operator must generate the HS256 secret. */
    public boolean usesGeneratedSecret() {
        return secretRef == null && jwksUrl == null;
    }
}
