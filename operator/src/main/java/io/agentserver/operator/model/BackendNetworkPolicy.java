package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The NetworkPolicy of a managed backend: its pods accept connections on their one port from the
 * agent server pods of the same instance (same namespace) and from the extra peers the spec lists,
 * and from nothing else.
 */
public final class BackendNetworkPolicy {

    private BackendNetworkPolicy() {
    }

    public static NetworkPolicy of(AgentServer owner, ObjectMeta metadata, Component backend, int port,
                                   List<NetworkPolicyPeer> extraPeers) {
        List<NetworkPolicyPeer> from = new ArrayList<>();
        from.add(new NetworkPolicyPeerBuilder()
                .withNewPodSelector().withMatchLabels(Labels.selector(owner, Component.SERVER)).endPodSelector()
                .build());
        if (extraPeers != null) {
            from.addAll(extraPeers);
        }
        return new NetworkPolicyBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(Labels.selector(owner, backend)).endPodSelector()
                    .withPolicyTypes("Ingress")
                    .addNewIngress()
                        .withFrom(from)
                        .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                    .endIngress()
                .endSpec()
                .build();
    }
}
