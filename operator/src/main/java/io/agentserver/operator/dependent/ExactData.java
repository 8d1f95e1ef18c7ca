package io.agentserver.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;

import java.util.Map;
import java.util.Objects;

/**
 * Matching for owned ConfigMaps and Secrets: their data must equal the desired data exactly. The
 * SDK's generic matcher treats keys present only on the cluster as matching, so a key removed from
 * the spec would stay in the object (and in the pods' environment) forever.
 */
final class ExactData {

    private ExactData() {
    }

    static <R extends HasMetadata> Matcher.Result<R> match(R actual, R desired, Map<String, String> actualData,
                                                         Map<String, String> desiredData) {
        boolean labelsKept = actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
        return Matcher.Result.computed(labelsKept && Objects.equals(orEmpty(actualData), orEmpty(desiredData)), desired);
    }

    private static Map<String, String> orEmpty(Map<String, String> data) {
        return data == null ? Map.of() : data;
    }
}
