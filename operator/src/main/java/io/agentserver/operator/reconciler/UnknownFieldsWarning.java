package io.agentserver.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.UnknownFields;
import io.agentserver.operator.status.StatusEvents;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the owner of an AgentServer that carries fields this operator does not know (its CRD is newer than
 * the operator): the fields are ignored, and a Warning Event {@value #REASON} names them, once per
 * generation. The typed spec has already dropped them, so the object is read once more as stored.
 */
final class UnknownFieldsWarning {

    static final String REASON = "UnknownFields";
    private static final Logger LOG = LoggerFactory.getLogger(UnknownFieldsWarning.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceDefinitionContext AGENT_SERVERS = new ResourceDefinitionContext.Builder()
            .withGroup(AgentServer.GROUP).withVersion(AgentServer.VERSION).withKind("AgentServer")
            .withPlural("agentservers").withNamespaced(true).build();

    /** The generation each AgentServer (by uid) was last looked at in. */
    private final Map<String, Long> checked = new ConcurrentHashMap<>();
    private final StatusEvents events;

    UnknownFieldsWarning(StatusEvents events) {
        this.events = events;
    }

    /** Looks at a generation not looked at yet; warns when it carries unknown fields. */
    void check(KubernetesClient client, AgentServer resource) {
        String uid = resource.getMetadata().getUid();
        Long generation = resource.getMetadata().getGeneration();
        if (uid == null || (generation != null && generation.equals(checked.put(uid, generation)))) {
            return;
        }
        try {
            GenericKubernetesResource stored = client.genericKubernetesResources(AGENT_SERVERS)
                    .inNamespace(resource.getMetadata().getNamespace()).withName(resource.getMetadata().getName()).get();
            if (stored == null) {
                return;
            }
            JsonNode raw = MAPPER.valueToTree(stored.getAdditionalProperties().get("spec"));
            JsonNode known = MAPPER.readTree(client.getKubernetesSerialization().asJson(resource.getSpec()));
            List<String> unknown = UnknownFields.of("spec", raw, known);
            if (!unknown.isEmpty()) {
                LOG.warn("namespace={} name={} generation={} unknownFields={}", resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName(), generation, unknown);
                events.warn(client, resource, REASON, "This operator does not know " + String.join(", ", unknown)
                        + " (a CRD newer than the operator); ignored. Upgrade the operator to use them.");
            }
        } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
            checked.remove(uid);
            LOG.debug("namespace={} name={} unknown fields not checked: {}", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), e.getMessage());
        }
    }
}
