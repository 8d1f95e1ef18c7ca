package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.SecretReference;
import io.agentserver.operator.model.ServerEnvironment;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Watches the Secrets that AgentServers reference (JWT key, external database credentials,
 * external Redis password, the LLM API key and Agent Protocol tokens of {@code spec.agents}), and only those: as Keycloak's operator does, a referenced Secret gets
 * the label {@value #WATCHED_LABEL}{@code =true} and the informer selects on it, so the operator
 * does not cache every Secret of the cluster. An index on the AgentServers maps a changed Secret
 * back to those that read it.
 */
public final class ReferencedSecrets {

    public static final String EVENT_SOURCE = "referenced-secrets";
    public static final String WATCHED_LABEL = "agentserver.io/watched";
    private static final String WATCHED_SELECTOR = WATCHED_LABEL + "=true";
    private static final String INDEX = "agentserver-by-referenced-secret";

    private ReferencedSecrets() {
    }

    /** The informer, to be registered by the reconciler. */
    public static InformerEventSource<Secret, AgentServer> eventSource(EventSourceContext<AgentServer> context) {
        context.getPrimaryCache().addIndexer(INDEX, owner -> secretNames(owner).stream()
                .map(name -> key(owner.getMetadata().getNamespace(), name))
                .toList());
        var configuration = InformerEventSourceConfiguration.from(Secret.class, AgentServer.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withLabelSelector(WATCHED_SELECTOR)
                .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
                        .byIndex(INDEX, key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    /**
     * Labels the referenced Secrets that exist but that the informer does not see yet, so that it
     * does from now on (the label change is its first event).
     *
     * @return the names labelled now
     */
    public static List<String> watchUnwatched(Context<AgentServer> context, AgentServer owner) {
        String namespace = owner.getMetadata().getNamespace();
        List<String> labelled = new ArrayList<>();
        for (String name : secretNames(owner)) {
            if (find(context, namespace, name).isPresent()) {
                continue;
            }
            var secret = context.getClient().secrets().inNamespace(namespace).withName(name);
            if (secret.get() != null) {
                secret.edit(s -> new SecretBuilder(s).editMetadata().addToLabels(WATCHED_LABEL, "true").endMetadata().build());
                labelled.add(name);
            }
        }
        return labelled;
    }

    /** The referenced Secret, as the informer last saw it. */
    public static Optional<Secret> find(Context<AgentServer> context, String namespace, String name) {
        @SuppressWarnings("unchecked")
        var source = (InformerEventSource<Secret, AgentServer>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, EVENT_SOURCE);
        return source.get(new ResourceID(name, namespace));
    }

    /** The decoded bytes of one key, from {@code data} (base64) or {@code stringData}. */
    public static Optional<byte[]> value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return Optional.of(Base64.getDecoder().decode(secret.getData().get(key)));
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return Optional.of(secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    /** Every referenced Secret that exists, for the configuration hash. */
    public static List<Secret> present(Context<AgentServer> context, AgentServer owner) {
        return secretNames(owner).stream()
                .map(name -> find(context, owner.getMetadata().getNamespace(), name))
                .flatMap(Optional::stream)
                .toList();
    }

    private static Set<String> secretNames(AgentServer owner) {
        if (owner.getSpec() == null) {
            return Set.of();
        }
        return new ServerEnvironment(owner).userSecrets().stream()
                .map(SecretReference::name)
                .collect(Collectors.toSet());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
