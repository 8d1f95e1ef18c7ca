package io.agentserver.service.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a public key from PEM text with the JDK alone: {@code PUBLIC KEY} (SubjectPublicKeyInfo,
 * RSA or EC) or {@code CERTIFICATE}. Tolerates the literal {@code \n} that environment variables
 * often carry instead of line breaks.
 */
final class PemPublicKey {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemPublicKey() {
    }

    /**
     * @param pem PEM text
     * @return the public key
     * @throws IllegalArgumentException with a readable message when the text is not a supported public key
     */
    static PublicKey parse(String pem) {
        Matcher block = BLOCK.matcher(pem.replace("\\n", "\n"));
        if (!block.find()) {
            throw new IllegalArgumentException(
                    "AUTH_JWT_PUBLIC_KEY is not PEM: expected -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----");
        }
        String label = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AUTH_JWT_PUBLIC_KEY: the PEM body is not base64", e);
        }
        return switch (label) {
            case "PUBLIC KEY" -> subjectPublicKeyInfo(der);
            case "CERTIFICATE" -> certificateKey(der);
            case "RSA PUBLIC KEY" -> throw new IllegalArgumentException(
                    "AUTH_JWT_PUBLIC_KEY is a PKCS#1 'RSA PUBLIC KEY'; give a 'PUBLIC KEY'"
                            + " (openssl rsa -RSAPublicKey_in -in key.pem -pubout)");
            default -> throw new IllegalArgumentException("AUTH_JWT_PUBLIC_KEY holds a '" + label
                    + "'; give the public key ('PUBLIC KEY' or 'CERTIFICATE'), never a private key");
        };
    }

    private static PublicKey subjectPublicKeyInfo(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("AUTH_JWT_PUBLIC_KEY is neither an RSA nor an EC public key");
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AUTH_JWT_PUBLIC_KEY: unreadable certificate: " + e.getMessage(), e);
        }
    }
}
