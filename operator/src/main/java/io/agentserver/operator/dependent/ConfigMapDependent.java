package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.ServerEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>-config}: the agent server's plain settings, read as environment variables. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ConfigMapDependent extends OwnedDependent<ConfigMap> {

    public ConfigMapDependent() {
        super(ConfigMap.class, Component.SERVER);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.config(owner);
    }

    @Override
    public Matcher.Result<ConfigMap> match(ConfigMap actual, ConfigMap desired, AgentServer owner,
                                          Context<AgentServer> context) {
        return ExactData.match(actual, desired, actual.getData(), desired.getData());
    }

    @Override
    protected ConfigMap desired(AgentServer owner, Context<AgentServer> context) {
        return new ConfigMapBuilder()
                .withMetadata(metadata(owner))
                .withData(new ServerEnvironment(owner).configData())
                .build();
    }
}
