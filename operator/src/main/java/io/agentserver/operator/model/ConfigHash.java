package io.agentserver.operator.model;

import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 over the configuration a pod reads at start: the ConfigMap data and the data of every
 * Secret the pod references. Stored as a pod template annotation, so a change rolls the pods.
 */
public final class ConfigHash {

    private ConfigHash() {
    }

    public static String of(Map<String, String> configData, List<Secret> referencedSecrets) {
        MessageDigest digest = sha256();
        update(digest, "config", configData);
        referencedSecrets.stream()
                .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
                .forEach(secret -> {
                    update(digest, "secret/" + secret.getMetadata().getName(), secret.getData());
                    update(digest, "secret-string/" + secret.getMetadata().getName(), secret.getStringData());
                });
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private static void update(MessageDigest digest, String section, Map<String, String> data) {
        digest.update(section.getBytes(StandardCharsets.UTF_8));
        if (data == null) {
            return;
        }
        new TreeMap<>(data).forEach((key, value) -> {
            digest.update(key.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 1);
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
