package io.agentserver.operator.dependent;

import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.model.Labels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>}: a ServiceMonitor selecting the agent server Service's endpoints. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServiceMonitorDependent extends MonitorDependent {

    public ServiceMonitorDependent() {
        super(MonitorKind.ServiceMonitor);
    }
}
