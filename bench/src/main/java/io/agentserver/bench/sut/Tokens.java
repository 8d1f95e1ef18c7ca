package io.agentserver.bench.sut;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** HS256 tokens as AutoGPT's frontend sends them: {@code sub} the user, audience {@code authenticated}. */
public final class Tokens {
    private final String secret;
    private final Map<String, String> byUser = new ConcurrentHashMap<>();

    /** The secret every system under test is started with. */
    public static Tokens bench() {
        return new Tokens("bench-secret-that-is-long-enough-for-hs256!");
    }

    public Tokens(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }

    public String forUser(String user) {
        return byUser.computeIfAbsent(user, this::sign);
    }

    private String sign(String user) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).audience("authenticated")
                .expirationTime(Date.from(Instant.now().plusSeconds(6 * 3600))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
