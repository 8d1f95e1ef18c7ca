package io.agentserver.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart rendered by helm-java (Helm bundled, offline), parsed into typed objects. */
record RenderedChart(String yaml, List<HasMetadata> objects) {

    static final Path CHART = Path.of("../charts/agent-server-operator");
    static final String RELEASE = "agent-server-operator";
    static final String NAMESPACE = "agent-server-system";
    /** helm-java renders for Kubernetes 1.20 unless told otherwise; the chart needs 1.25+. */
    static final String KUBE_VERSION = "1.31.0";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static RenderedChart render(Map<String, Object> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).skipCrds();
        values.forEach(template::set);
        String yaml = template.call();
        List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
                .toList();
        return new RenderedChart(yaml, objects);
    }

    /** The chart rendered with a values file of this content (values --set cannot express, such as {} or a string list). */
    static RenderedChart renderValues(String valuesYaml) {
        try {
            java.nio.file.Path values = java.nio.file.Files.createTempFile("values", ".yaml");
            java.nio.file.Files.writeString(values, valuesYaml);
            String yaml = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                    .skipCrds().withValuesFile(values).call();
            List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                    .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                    .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
                    .toList();
            return new RenderedChart(yaml, objects);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.getFirst();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }
}
