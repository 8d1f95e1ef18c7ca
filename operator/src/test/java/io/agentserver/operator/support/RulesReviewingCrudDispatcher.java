package io.agentserver.operator.support;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CRUD dispatcher behind the shipped RBAC. Requests that carry the operator's bearer token are
 * authorized against the rules of {@code k8s/operator/operator.yaml} ({@link ShippedRbac}) and
 * refused with 403 like a real API server when no rule grants them; the test's own client (no
 * token) plays the cluster admin. A SelfSubjectRulesReview, which the SDK's leader election sends
 * before it starts, is answered from the same rules. One validation of the real API server is
 * played too, because an operator that trips it is stuck: a StatefulSet update (PUT) that changes
 * anything of its spec but the template, replicas, update strategy and claim retention is refused
 * with 422.
 * <p>Non-resource requests (API discovery such as {@code GET /apis/monitoring.coreos.com/v1},
 * {@code /version}) are authorized as a real cluster's default {@code system:discovery} ClusterRole
 * does for every authenticated user: {@code get} on {@link #DISCOVERY_URLS}, nothing else.
 */
public final class RulesReviewingCrudDispatcher extends KubernetesCrudDispatcher {

    /** Bearer token of the operator's client; see {@link MockCluster}. */
    public static final String OPERATOR_TOKEN = "agent-server-operator-service-account";

    /** The nonResourceURLs of the default ClusterRole system:discovery, bound to system:authenticated. */
    static final List<String> DISCOVERY_URLS = List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
            "/openapi", "/openapi/*", "/readyz", "/version", "/version/");

    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final ShippedRbac rbac;
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<String> operatorRequests = new CopyOnWriteArrayList<>();

    RulesReviewingCrudDispatcher(ShippedRbac rbac) {
        super(List.of());
        this.rbac = rbac;
    }

    /** Every request the operator sent, as "METHOD path?query". */
    public List<String> operatorRequests() {
        return List.copyOf(operatorRequests);
    }

    /** Every request refused so far, as "verb group/resource namespace/name". */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!("Bearer " + OPERATOR_TOKEN).equals(request.getHeader("Authorization"))
                || request.getPath().startsWith(REVIEWS)) {
            return super.dispatch(request);
        }
        operatorRequests.add(request.getMethod() + " " + request.getPath());
        Optional<String> nonResource = ApiRequest.nonResourcePath(request.getPath());
        if (nonResource.isPresent()) {
            if ("GET".equals(request.getMethod()) && discoveryAllows(nonResource.get())) {
                return super.dispatch(request);
            }
            refused.add(request.getMethod().toLowerCase(java.util.Locale.ROOT) + " " + nonResource.get());
            return forbidden("forbidden: User \"system:serviceaccount:" + ShippedRbac.SERVICE_ACCOUNT_NAMESPACE + ":"
                    + ShippedRbac.SERVICE_ACCOUNT + "\" cannot " + request.getMethod().toLowerCase(java.util.Locale.ROOT)
                    + " path \"" + nonResource.get() + "\"");
        }
        ApiRequest api = ApiRequest.parse(request.getMethod(), request.getPath());
        if (rbac.allows(api.verb(), api.group(), api.resource(), api.namespace(), api.name())) {
            return ServerSideApplyEmulation.isApply(request) ? ServerSideApplyEmulation.apply(request, this)
                    : super.dispatch(request);
        }
        refused.add(api.toString());
        String message = api.resource() + " is forbidden: User \"system:serviceaccount:" + ShippedRbac.SERVICE_ACCOUNT_NAMESPACE
                + ":" + ShippedRbac.SERVICE_ACCOUNT + "\" cannot " + api.verb() + " resource \"" + api.resource()
                + "\" in API group \"" + api.group() + "\"" + (api.namespace() == null ? "" : " in the namespace \"" + api.namespace() + "\"");
        return forbidden(message);
    }

    /** Whether system:discovery grants a GET of this non-resource path ({@code /x/*} matches any path under /x/). */
    static boolean discoveryAllows(String path) {
        return DISCOVERY_URLS.stream().anyMatch(url -> url.endsWith("*")
                ? path.startsWith(url.substring(0, url.length() - 1)) : path.equals(url));
    }

    private static MockResponse forbidden(String message) {
        return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                .setBody(SERIALIZATION.asJson(new StatusBuilder().withStatus("Failure").withReason("Forbidden")
                        .withCode(403).withMessage(message).build()));
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (!request.getPath().startsWith(REVIEWS)) {
            return super.handleCreate(request);
        }
        SelfSubjectRulesReview asked = SERIALIZATION.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        String namespace = asked.getSpec() == null ? null : asked.getSpec().getNamespace();
        List<ResourceRule> rules = rbac.rulesIn(namespace).stream()
                .map(rule -> new ResourceRule(rule.getApiGroups(), rule.getResourceNames(), rule.getResources(), rule.getVerbs()))
                .toList();
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewMetadata().endMetadata()
                .withNewSpec().withNamespace(namespace).endSpec()
                .withNewStatus().withIncomplete(false).withResourceRules(rules).endStatus()
                .build();
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(SERIALIZATION.asJson(review));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        if (request.getPath().contains("/statefulsets/")) {
            MockResponse stored = super.handleGet(request.getPath());
            if (stored.code() == 200) {
                StatefulSet before = SERIALIZATION.unmarshal(stored.getBody().readUtf8(), StatefulSet.class);
                StatefulSet after = SERIALIZATION.unmarshal(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8), StatefulSet.class);
                if (!Objects.equals(before.getSpec().getVolumeClaimTemplates(), after.getSpec().getVolumeClaimTemplates())
                        || !Objects.equals(before.getSpec().getSelector(), after.getSpec().getSelector())
                        || !Objects.equals(before.getSpec().getServiceName(), after.getSpec().getServiceName())) {
                    refused.add("update apps/statefulsets " + before.getMetadata().getNamespace() + "/"
                            + before.getMetadata().getName() + " (forbidden spec change)");
                    return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                            .setBody(SERIALIZATION.asJson(new StatusBuilder().withStatus("Failure").withReason("Invalid")
                                    .withCode(422).withMessage("StatefulSet.apps \"" + before.getMetadata().getName()
                                            + "\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than"
                                            + " 'replicas', 'ordinals', 'template', 'updateStrategy',"
                                            + " 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")
                                    .build()));
                }
            }
        }
        return super.handleUpdate(request);
    }

    /**
     * What the API server's request-info resolver makes of a request: verb, API group, resource
     * (with subresource, e.g. {@code agentservers/status}), namespace and name.
     */
    record ApiRequest(String verb, String group, String resource, String namespace, String name) {

        /**
         * The path when the resolver sees no resource request: fewer than three segments, a prefix other
         * than {@code api}/{@code apis}, or {@code /apis/<group>/<version>} (discovery of a group version).
         */
        static Optional<String> nonResourcePath(String pathAndQuery) {
            int query = pathAndQuery.indexOf('?');
            String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
            String[] parts = path.replaceFirst("^/", "").split("/");
            boolean resource = parts.length >= 3 && ("api".equals(parts[0]) || ("apis".equals(parts[0]) && parts.length >= 4));
            return resource ? Optional.empty() : Optional.of(path);
        }

        static ApiRequest parse(String method, String pathAndQuery) {
            int query = pathAndQuery.indexOf('?');
            String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
            String params = query < 0 ? "" : pathAndQuery.substring(query + 1);
            String[] parts = path.replaceFirst("^/", "").split("/");
            int index;
            String group;
            if ("api".equals(parts[0])) {
                group = "";
                index = 2;
            } else {
                group = parts[1];
                index = 3;
            }
            String namespace = null;
            if (parts.length > index + 2 && "namespaces".equals(parts[index])) {
                namespace = parts[index + 1];
                index += 2;
            }
            String resource = parts[index];
            String name = parts.length > index + 1 ? parts[index + 1] : null;
            if (parts.length > index + 2) {
                resource = resource + "/" + parts[index + 2];
            }
            boolean watch = params.matches("(^|.*&)watch=(true|1)(&.*|$)");
            String verb = switch (method) {
                case "GET" -> watch ? "watch" : name == null ? "list" : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name == null ? "deletecollection" : "delete";
                default -> method.toLowerCase(java.util.Locale.ROOT);
            };
            return new ApiRequest(verb, group, resource, namespace, name);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + " "
                    + (namespace == null ? "" : namespace + "/") + (name == null ? "*" : name);
        }
    }
}
