package io.agentserver.service.auth;

import static io.agentserver.service.auth.TestTokens.claims;
import static io.agentserver.service.auth.TestTokens.jwks;
import static io.agentserver.service.auth.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwksVerificationTest {

    private static RSAKey signingKey;
    private static HttpServer server;
    private static String jwksUrl;
    private static final AtomicInteger FETCHES = new AtomicInteger();

    @BeforeAll
    static void serveJwks() throws IOException, JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("key-1").generate();
        byte[] body = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            FETCHES.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        jwksUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void rs256TokenWithAKnownKidIsValid() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(jwks("RS256", jwksUrl));
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(),
                new RSASSASigner(signingKey), claims("user-1").build());
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> assertThat(v.identity().userId()).isEqualTo("user-1"));
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Valid.class);
        assertThat(FETCHES.get()).isPositive();
    }

    @Test
    void tokenWithAnUnknownKidIsInvalid() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(jwks("RS256", jwksUrl));
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-2").build(),
                new RSASSASigner(signingKey), claims("user-1").build());
        JwtVerifierTest.assertInvalidBecause(verifier.verify(token), "no matching key");
    }

    @Test
    void tokenSignedByAnotherKeyUnderAKnownKidIsInvalid() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(jwks("RS256", jwksUrl));
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("key-1").generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(),
                new RSASSASigner(impostor), claims("user-1").build());
        JwtVerifierTest.assertInvalidBecause(verifier.verify(token), "Invalid signature");
    }

    @Test
    void unreachableJwksMakesTokensInvalidWithoutThrowing() throws JOSEException {
        JwtVerifier verifier = JwtVerifier.create(jwks("RS256", "http://127.0.0.1:1/jwks.json"));
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(),
                new RSASSASigner(signingKey), claims("user-1").build());
        assertThat(verifier.verify(token)).isInstanceOf(TokenCheck.Invalid.class);
    }
}
