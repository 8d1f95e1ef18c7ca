package io.agentserver.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a real API server checks of an object before it stores it, played without one (the fabric8 mock
 * checks nothing):
 * <ul>
 *   <li>list-map keys: every list that the Kubernetes API declares {@code x-kubernetes-list-type: map} holds
 *       each key once ("duplicate entries for key [name=\"REDIS_URI\"]" in a server-side apply, "Duplicate
 *       value" otherwise). The table below is the API's, for the kinds the operator writes;</li>
 *   <li>field types: every field is one the typed Kubernetes model knows (a fabric8 model object keeps the
 *       fields it does not know in {@code additionalProperties}; strict field validation refuses them),
 *       every quantity parses, every named probe port is a port of its container;</li>
 *   <li>names and labels: object names, label keys and values in the syntax the API server accepts.</li>
 * </ul>
 */
public final class ApiServerValidation {

    /** Pod templates of the kinds the operator writes. */
    private static final Map<String, String> POD_SPECS = Map.of("Deployment", "spec.template.spec",
            "StatefulSet", "spec.template.spec");

    /** The list-map keys of a PodSpec and its containers (Kubernetes API, x-kubernetes-list-map-keys). */
    private static final Map<String, List<String>> POD_SPEC_LISTS = Map.ofEntries(
            Map.entry("containers", List.of("name")),
            Map.entry("initContainers", List.of("name")),
            Map.entry("ephemeralContainers", List.of("name")),
            Map.entry("volumes", List.of("name")),
            Map.entry("imagePullSecrets", List.of("name")),
            Map.entry("hostAliases", List.of("ip")),
            Map.entry("resourceClaims", List.of("name")),
            Map.entry("schedulingGates", List.of("name")),
            Map.entry("topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable")));
    private static final Map<String, List<String>> CONTAINER_LISTS = Map.of(
            "env", List.of("name"),
            "ports", List.of("containerPort", "protocol"),
            "volumeMounts", List.of("mountPath"),
            "volumeDevices", List.of("devicePath"));
    /** Keys the API server defaults before it compares: a port's protocol is TCP when absent. */
    private static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS_SUBDOMAIN = DNS_LABEL + "(\\." + DNS_LABEL + ")*";
    private static final String LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiServerValidation() {
    }

    /** Every problem a real API server would refuse the object for; empty when it would store it. */
    public static List<String> problems(HasMetadata object) {
        List<String> problems = new ArrayList<>();
        String what = object.getKind() + " " + object.getMetadata().getName();
        JsonNode json = json(object);
        listMapKeys(object.getKind(), json, problems);
        if (!(object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource)) {
            unknownFields(object, "", problems);
        }
        quantities(object, "", problems);
        names(object, problems);
        podSpec(object).ifPresent(pod -> namedProbePorts(pod, problems));
        return problems.stream().map(problem -> what + ": " + problem).toList();
    }

    /** The duplicate list-map keys of one object, as "path: duplicate entries for key [...]". */
    public static List<String> duplicateListMapKeys(HasMetadata object) {
        List<String> problems = new ArrayList<>();
        listMapKeys(object.getKind(), json(object), problems);
        return problems;
    }

    private static JsonNode json(HasMetadata object) {
        try {
            return MAPPER.readTree(SERIALIZATION.asJson(object));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void listMapKeys(String kind, JsonNode json, List<String> problems) {
        unique("metadata.ownerReferences", json.at("/metadata/ownerReferences"), List.of("uid"), problems);
        if ("Service".equals(kind)) {
            unique("spec.ports", json.at("/spec/ports"), List.of("port", "protocol"), problems);
        }
        String podPath = POD_SPECS.get(kind);
        if (podPath == null) {
            return;
        }
        JsonNode pod = json.at("/" + podPath.replace('.', '/'));
        POD_SPEC_LISTS.forEach((field, keys) -> unique(podPath + "." + field, pod.path(field), keys, problems));
        for (String containers : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode container : pod.path(containers)) {
                String at = podPath + "." + containers + "[" + container.path("name").asText() + "]";
                CONTAINER_LISTS.forEach((field, keys) -> unique(at + "." + field, container.path(field), keys, problems));
            }
        }
    }

    private static void unique(String path, JsonNode list, List<String> keys, List<String> problems) {
        if (!list.isArray()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode item : list) {
            String key = keys.stream().map(k -> k + "=" + (item.hasNonNull(k) ? item.get(k).asText()
                    : KEY_DEFAULTS.getOrDefault(k, "<missing>"))).collect(Collectors.joining(",", "[", "]"));
            if (keys.stream().anyMatch(k -> !item.hasNonNull(k) && !KEY_DEFAULTS.containsKey(k))) {
                problems.add(path + ": an entry lacks its key " + key);
            } else if (!seen.add(key)) {
                problems.add(path + ": duplicate entries for key " + key);
            }
        }
    }

    /** Fields the typed model does not know end up in additionalProperties; strict field validation refuses them. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        walk(value, path, (object, at) -> {
            if (object instanceof KubernetesResource) {
                Map<?, ?> extra = additionalProperties(object);
                if (extra != null && !extra.isEmpty()) {
                    problems.add(at + ": unknown field(s) " + extra.keySet());
                }
            }
        });
    }

    private static void quantities(Object value, String path, List<String> problems) {
        walk(value, path, (object, at) -> {
            if (object instanceof Quantity quantity) {
                try {
                    Quantity.getAmountInBytes(quantity);
                } catch (RuntimeException e) {
                    problems.add(at + ": quantity " + quantity + " does not parse");
                }
            }
        });
    }

    private static void names(HasMetadata object, List<String> problems) {
        String name = object.getMetadata().getName();
        String pattern = object instanceof Service ? "[a-z]([-a-z0-9]*[a-z0-9])?" : DNS_SUBDOMAIN;
        int max = object instanceof Service ? 63 : 253;
        if (name == null || name.length() > max || !name.matches(pattern)) {
            problems.add("metadata.name \"" + name + "\" is not a valid name");
        }
        labels("metadata.labels", object.getMetadata().getLabels(), problems);
        podSpec(object).ifPresent(pod -> {
            if (object instanceof Deployment deployment) {
                labels("spec.template.metadata.labels", deployment.getSpec().getTemplate().getMetadata().getLabels(), problems);
            }
        });
    }

    private static void labels(String path, Map<String, String> labels, List<String> problems) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String local = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
            String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
            if (local.isEmpty() || local.length() > 63 || !local.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
                    || (prefix != null && (prefix.length() > 253 || !prefix.matches(DNS_SUBDOMAIN)))) {
                problems.add(path + ": invalid label key \"" + key + "\"");
            }
            if (value == null || value.length() > 63 || !value.matches(LABEL_VALUE)) {
                problems.add(path + ": invalid value of label " + key + ": \"" + value + "\"");
            }
        });
    }

    private static void namedProbePorts(PodSpec pod, List<String> problems) {
        for (Container container : pod.getContainers()) {
            Set<String> names = container.getPorts() == null ? Set.of() : container.getPorts().stream()
                    .map(ContainerPort::getName).filter(Objects::nonNull).collect(Collectors.toSet());
            for (Probe probe : java.util.Arrays.asList(container.getStartupProbe(), container.getLivenessProbe(),
                    container.getReadinessProbe())) {
                if (probe != null && probe.getHttpGet() != null) {
                    IntOrString port = probe.getHttpGet().getPort();
                    if (port.getStrVal() != null && !names.contains(port.getStrVal())) {
                        problems.add("container " + container.getName() + ": probe port " + port.getStrVal()
                                + " names no port of the container");
                    }
                }
            }
        }
    }

    private static java.util.Optional<PodSpec> podSpec(HasMetadata object) {
        if (object instanceof Deployment deployment) {
            return java.util.Optional.of(deployment.getSpec().getTemplate().getSpec());
        }
        if (object instanceof StatefulSet set) {
            return java.util.Optional.of(set.getSpec().getTemplate().getSpec());
        }
        return java.util.Optional.empty();
    }

    private interface Visitor {
        void visit(Object value, String path);
    }

    /** Visits every model object, list element and map value reachable through public getters. */
    private static void walk(Object value, String path, Visitor visitor) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        visitor.visit(value, path);
        if (value instanceof Collection<?> collection) {
            Iterator<?> items = collection.iterator();
            for (int i = 0; items.hasNext(); i++) {
                walk(items.next(), path + "[" + i + "]", visitor);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, visitor));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")
                && !value.getClass().getPackageName().startsWith("io.agentserver")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() == 0 && !Modifier.isStatic(getter.getModifiers())
                    && getter.getName().startsWith("get") && !getter.getName().equals("getClass")
                    && !getter.getName().equals("getAdditionalProperties")) {
                try {
                    walk(getter.invoke(value), path + "." + property(getter.getName()), visitor);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    // a computed getter that does not apply to this object: not a field
                }
            }
        }
    }

    private static Map<?, ?> additionalProperties(Object object) {
        try {
            return (Map<?, ?>) object.getClass().getMethod("getAdditionalProperties").invoke(object);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String property(String getter) {
        String name = getter.substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
