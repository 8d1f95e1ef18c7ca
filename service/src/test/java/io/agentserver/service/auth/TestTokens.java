package io.agentserver.service.auth;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Builds tokens and settings for the auth tests. */
final class TestTokens {

    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs512-0123456789abcdefghij";
    static final String AUDIENCE = "authenticated";

    private TestTokens() {
    }

    static AuthSettings hmac(String algorithm, String secret) {
        return new AuthSettings(true, algorithm, Optional.of(secret), Optional.empty(), Optional.empty(),
                AUDIENCE, false);
    }

    static AuthSettings publicKey(String algorithm, String pem) {
        return new AuthSettings(true, algorithm, Optional.empty(), Optional.of(pem), Optional.empty(),
                AUDIENCE, false);
    }

    static AuthSettings jwks(String algorithm, String url) {
        return new AuthSettings(true, algorithm, Optional.empty(), Optional.empty(), Optional.of(url),
                AUDIENCE, false);
    }

    /** Claims with {@code sub}, the default audience and an expiry one hour ahead. */
    static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
    }

    static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(algorithm).build(), signer, claims);
    }

    static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
