package io.agentserver.service.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Date;

/** HS256 tokens signed with the secret every {@link TestServer} is configured with. */
public final class TestTokens {

    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!!";

    private TestTokens() {
    }

    public static String forUser(String subject) {
        return signed(valid(subject).build(), SECRET);
    }

    /** Claims of a current token for {@code subject} (null: no {@code sub}), to be varied by a test. */
    public static JWTClaimsSet.Builder valid(String subject) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .audience("authenticated")
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
    }

    public static String signed(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims unsigned, {@code alg:none}. */
    public static String unsigned(JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(claims).serialize();
    }
}
