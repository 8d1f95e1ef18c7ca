package io.agentserver.operator.dependent;

import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.model.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>}: a PodMonitor selecting the agent server pods. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class PodMonitorDependent extends MonitorDependent {

    public PodMonitorDependent() {
        super(MonitorKind.PodMonitor);
    }
}
