package io.agentserver.service.auth;

import com.nimbusds.jose.JWSAlgorithm;

/** The key type a JWS algorithm verifies with; a configured key must belong to the algorithm's family. */
enum AlgorithmFamily {
    HMAC,
    RSA,
    EC;

    static AlgorithmFamily of(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            return HMAC;
        }
        if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
            return RSA;
        }
        if (JWSAlgorithm.Family.EC.contains(algorithm)) {
            return EC;
        }
        throw new IllegalArgumentException("No key family for " + algorithm);
    }

    /** The shortest HMAC secret, in bytes, that {@code algorithm} accepts (RFC 7518 §3.2: at least the hash size). */
    static int minimumSecretBytes(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.HS512.equals(algorithm)) {
            return 64;
        }
        if (JWSAlgorithm.HS384.equals(algorithm)) {
            return 48;
        }
        return 32;
    }
}
