package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <name>-credentials}: the generated JWT secret, Redis password and PostgreSQL password.
 * Created once and never rewritten (no {@code Updater}): regenerating would lock the service out
 * of its own database. It lives as long as the AgentServer, whatever the spec says.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.CREDENTIALS_SELECTOR))
public class CredentialsSecretDependent extends KubernetesDependentResource<Secret, AgentServer>
        implements Creator<Secret, AgentServer>, GarbageCollected<AgentServer> {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 40;

    private final SecureRandom random = new SecureRandom();

    public CredentialsSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(AgentServer primary, Context<AgentServer> context) {
        return new ResourceID(ResourceNames.credentials(primary), primary.getMetadata().getNamespace());
    }

    @Override
    protected Secret desired(AgentServer owner, Context<AgentServer> context) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(ResourceNames.JWT_SECRET_KEY, randomString());
        data.put(ResourceNames.REDIS_PASSWORD_KEY, randomString());
        data.put(ResourceNames.POSTGRES_PASSWORD_KEY, randomString());
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(ResourceNames.credentials(owner))
                        .withNamespace(owner.getMetadata().getNamespace())
                        .withLabels(Labels.of(owner, Component.CREDENTIALS))
                        .build())
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** A random alphanumeric value, base64-encoded as Secret data (no stringData: every API server stores data as is). */
    private String randomString() {
        StringBuilder value = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
