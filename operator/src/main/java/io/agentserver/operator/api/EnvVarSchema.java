package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVarSource;

/**
 * The CRD schema of one {@code spec.env} entry: a Kubernetes {@code EnvVar} whose {@code name} is
 * required, as the API server requires it of a container's env (a list keyed by name). Only the CRD
 * generator reads this class; the spec itself holds fabric8 {@code EnvVar}s.
 */
final class EnvVarSchema {

    @Required
    @JsonProperty
    private String name;

    @JsonProperty
    private String value;

    @JsonProperty
    private EnvVarSource valueFrom;

    private EnvVarSchema() {
    }
}
