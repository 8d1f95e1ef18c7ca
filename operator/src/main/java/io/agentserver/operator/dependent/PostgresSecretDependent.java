package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <name>-postgres}: how to connect to the managed PostgreSQL (user, password, database,
 * JDBC url). The password is the generated one from {@code <name>-credentials}, which outlives
 * this Secret, so switching to external and back finds the data volume's password unchanged.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.POSTGRES_SELECTOR))
public class PostgresSecretDependent extends OwnedDependent<Secret> {

    public static final String CREDENTIALS_DEPENDENT = "credentials";

    public PostgresSecretDependent() {
        super(Secret.class, Component.POSTGRES);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.postgres(owner);
    }

    @Override
    public Matcher.Result<Secret> match(Secret actual, Secret desired, AgentServer owner, Context<AgentServer> context) {
        return ExactData.match(actual, desired, actual.getData(), desired.getData());
    }

    @Override
    protected Secret desired(AgentServer owner, Context<AgentServer> context) {
        Secret credentials = context.getSecondaryResource(Secret.class, CREDENTIALS_DEPENDENT)
                .orElseThrow(() -> new IllegalStateException("Secret " + ResourceNames.credentials(owner)
                        + " is not created yet"));
        return desired(owner, credentials);
    }

    /** The connection Secret, given the generated credentials. */
    Secret desired(AgentServer owner, Secret credentials) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("username", base64(ResourceNames.POSTGRES_USER));
        data.put("password", credentials.getData().get(ResourceNames.POSTGRES_PASSWORD_KEY));
        data.put("database", base64(ResourceNames.POSTGRES_DATABASE));
        data.put("jdbc-url", base64(ResourceNames.managedJdbcUrl(owner)));
        return new SecretBuilder()
                .withMetadata(metadata(owner))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
