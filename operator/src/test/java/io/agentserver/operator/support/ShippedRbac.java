package io.agentserver.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The RBAC that {@code k8s/operator/operator.yaml} grants the operator's ServiceAccount, read from
 * the shipped file: ClusterRoles bound by ClusterRoleBindings apply everywhere, Roles (and
 * ClusterRoles bound by RoleBindings) only in the binding's namespace. Evaluated the way the API
 * server's RBAC authorizer does, without aggregation. Non-resource URLs (API discovery) are the
 * default system:discovery role's, see {@link RulesReviewingCrudDispatcher}.
 */
public final class ShippedRbac {

    public static final Path OPERATOR_MANIFEST = Path.of("../k8s/operator/operator.yaml");
    public static final String SERVICE_ACCOUNT = "agent-server-operator";
    public static final String SERVICE_ACCOUNT_NAMESPACE = "agent-server-system";

    /** A rule and where it applies; {@code namespace} null means every namespace. */
    public record Grant(String namespace, PolicyRule rule) {
    }

    private final List<Grant> grants;

    private ShippedRbac(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    public static ShippedRbac fromShippedManifest() {
        try {
            return parse(Files.readString(OPERATOR_MANIFEST));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the Roles, ClusterRoles and their bindings to the operator's ServiceAccount from multi-document YAML. */
    public static ShippedRbac parse(String yaml) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) serialization.unmarshal(document))
                .toList();
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRoleBinding binding && boundToOperator(binding.getSubjects())) {
                clusterRole(objects, binding.getRoleRef().getName())
                        .ifPresent(role -> role.getRules().forEach(rule -> grants.add(new Grant(null, rule))));
            } else if (object instanceof RoleBinding binding && boundToOperator(binding.getSubjects())) {
                String namespace = binding.getMetadata().getNamespace();
                List<PolicyRule> rules = "ClusterRole".equals(binding.getRoleRef().getKind())
                        ? clusterRole(objects, binding.getRoleRef().getName()).map(ClusterRole::getRules).orElse(List.of())
                        : objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
                                .filter(role -> role.getMetadata().getName().equals(binding.getRoleRef().getName())
                                        && namespace.equals(role.getMetadata().getNamespace()))
                                .findFirst().map(Role::getRules).orElse(List.of());
                rules.forEach(rule -> grants.add(new Grant(namespace, rule)));
            }
        }
        return new ShippedRbac(grants);
    }

    public boolean allows(String verb, String apiGroup, String resource, String namespace, String name) {
        return grants.stream().anyMatch(grant -> (grant.namespace() == null || grant.namespace().equals(namespace))
                && matches(grant.rule().getVerbs(), verb)
                && matches(grant.rule().getApiGroups(), apiGroup)
                && matches(grant.rule().getResources(), resource)
                && (grant.rule().getResourceNames() == null || grant.rule().getResourceNames().isEmpty()
                        || (name != null && grant.rule().getResourceNames().contains(name))));
    }

    /** The rules that hold in a namespace, as a SelfSubjectRulesReview reports them. */
    public List<PolicyRule> rulesIn(String namespace) {
        return grants.stream().filter(grant -> grant.namespace() == null || grant.namespace().equals(namespace))
                .map(Grant::rule).toList();
    }

    public List<Grant> grants() {
        return grants;
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed != null && (allowed.contains("*") || allowed.contains(value));
    }

    private static boolean boundToOperator(List<Subject> subjects) {
        return subjects != null && subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
                && SERVICE_ACCOUNT.equals(subject.getName()) && SERVICE_ACCOUNT_NAMESPACE.equals(subject.getNamespace()));
    }

    private static Optional<ClusterRole> clusterRole(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(role -> role.getMetadata().getName().equals(name)).findFirst();
    }
}
