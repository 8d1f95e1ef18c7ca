package io.agentserver.operator.support;

import io.agentserver.operator.support.RulesReviewingCrudDispatcher.ApiRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-to-verb mapping and the shipped rules the operator tests enforce. */
class RulesReviewingCrudDispatcherTest {

    private final ShippedRbac rbac = ShippedRbac.fromShippedManifest();

    @Test
    void mapsMethodsAndPathsToVerbsResourcesAndNamespaces() {
        assertThat(ApiRequest.parse("PATCH", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/op"))
                .isEqualTo(new ApiRequest("patch", "coordination.k8s.io", "leases", "ops", "op"));
        assertThat(ApiRequest.parse("GET", "/api/v1/secrets?labelSelector=a%3Db&watch=true&resourceVersion=5"))
                .isEqualTo(new ApiRequest("watch", "", "secrets", null, null));
        assertThat(ApiRequest.parse("GET", "/api/v1/namespaces/agents/configmaps"))
                .isEqualTo(new ApiRequest("list", "", "configmaps", "agents", null));
        assertThat(ApiRequest.parse("PATCH", "/apis/agentserver.io/v1alpha1/namespaces/agents/agentservers/demo/status"))
                .isEqualTo(new ApiRequest("patch", "agentserver.io", "agentservers/status", "agents", "demo"));
        assertThat(ApiRequest.parse("DELETE", "/apis/apps/v1/namespaces/agents/deployments/demo-redis").verb()).isEqualTo("delete");
        assertThat(ApiRequest.parse("POST", "/api/v1/namespaces/agents/secrets").verb()).isEqualTo("create");
        assertThat(ApiRequest.parse("PUT", "/apis/apps/v1/namespaces/agents/statefulsets/x").verb()).isEqualTo("update");
    }

    @Test
    void apiDiscoveryIsANonResourceRequestThatEveryAuthenticatedUserMayGet() {
        assertThat(ApiRequest.nonResourcePath("/apis/monitoring.coreos.com/v1")).contains("/apis/monitoring.coreos.com/v1");
        assertThat(ApiRequest.nonResourcePath("/api/v1")).contains("/api/v1");
        assertThat(ApiRequest.nonResourcePath("/apis")).contains("/apis");
        assertThat(ApiRequest.nonResourcePath("/version?timeout=32s")).contains("/version");
        assertThat(ApiRequest.nonResourcePath("/api/v1/namespaces")).as("lists namespaces").isEmpty();
        assertThat(ApiRequest.nonResourcePath("/apis/monitoring.coreos.com/v1/servicemonitors")).isEmpty();
        assertThat(RulesReviewingCrudDispatcher.discoveryAllows("/apis/monitoring.coreos.com/v1")).isTrue();
        assertThat(RulesReviewingCrudDispatcher.discoveryAllows("/version")).isTrue();
        assertThat(RulesReviewingCrudDispatcher.discoveryAllows("/metrics")).as("not a discovery url").isFalse();
        assertThat(RulesReviewingCrudDispatcher.discoveryAllows("/logs/kubelet.log")).isFalse();
    }

    @Test
    void grantsWhatTheShippedManifestGrantsAndNothingElse() {
        assertThat(rbac.allows("patch", "coordination.k8s.io", "leases", ShippedRbac.SERVICE_ACCOUNT_NAMESPACE, "x")).isTrue();
        assertThat(rbac.allows("patch", "coordination.k8s.io", "leases", "agents", "x")).as("Role, not ClusterRole").isFalse();
        assertThat(rbac.allows("watch", "", "secrets", null, null)).isTrue();
        assertThat(rbac.allows("delete", "", "configmaps", "agents", "demo-config")).isFalse();
        assertThat(rbac.allows("update", "agentserver.io", "agentservers", "agents", "demo")).as("the spec is the user's").isFalse();
        assertThat(rbac.allows("get", "", "pods", "agents", "p")).as("the forced rollback reads one pod").isTrue();
        assertThat(rbac.allows("list", "", "pods", "agents", null)).isFalse();
        assertThat(rbac.allows("update", "", "pods", "agents", "p")).isFalse();
        assertThat(rbac.allows("create", "postgresql.cnpg.io", "clusters", "agents", null)).isTrue();
        assertThat(rbac.allows("create", "postgresql.cnpg.io", "backups", "agents", null)).isFalse();
        assertThat(rbac.allows("create", "autoscaling", "horizontalpodautoscalers", "agents", null)).isTrue();
        assertThat(rbac.allows("delete", "networking.k8s.io", "networkpolicies", "agents", "demo-redis")).isTrue();
        assertThat(rbac.allows("patch", "monitoring.coreos.com", "servicemonitors", "agents", "demo")).isTrue();
        assertThat(rbac.allows("create", "events.k8s.io", "events", "agents", null)).isTrue();
        assertThat(rbac.allows("delete", "events.k8s.io", "events", "agents", "e")).isFalse();
    }
}
