package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.AutoscalingSpec;

import java.util.List;

/** The rules of {@code spec.autoscaling} the CRD states, checked again by the operator (see {@link SpecCheck}). */
final class AutoscalingCheck {

    private AutoscalingCheck() {
    }

    static void check(AgentServerSpec spec, List<String> problems) {
        AutoscalingSpec autoscaling = spec.getAutoscaling();
        if (autoscaling == null || !autoscaling.enabledOrDefault()) {
            return;
        }
        if (autoscaling.getMaxReplicas() == null) {
            problems.add("spec.autoscaling: enabled needs maxReplicas");
            return;
        }
        if (autoscaling.minReplicasOrDefault() > autoscaling.getMaxReplicas()) {
            problems.add("spec.autoscaling: minReplicas must not exceed maxReplicas");
        }
        if (autoscaling.getMaxReplicas() > 1 && (spec.getRedis() == null || spec.getDatabase() == null)) {
            problems.add("autoscaling beyond one replica needs spec.redis and spec.database (managed or external)");
        }
    }
}
