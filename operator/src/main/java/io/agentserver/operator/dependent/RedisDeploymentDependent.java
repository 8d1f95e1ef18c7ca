package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * {@code <name>-redis}: one Redis pod with a generated password and no persistence (it carries
 * live events only; the store is PostgreSQL). Exists only while {@code spec.redis.managed}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisDeploymentDependent extends OwnedDependent<Deployment> {

    private static final long USER = 999;

    public RedisDeploymentDependent() {
        super(Deployment.class, Component.REDIS);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.redis(owner);
    }

    @Override
    protected Deployment desired(AgentServer owner, Context<AgentServer> context) {
        RedisSpec redis = owner.getSpec().getRedis() == null ? RedisSpec.managed() : owner.getSpec().getRedis();
        return new DeploymentBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(Labels.selector(owner, Component.REDIS)).endSelector()
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Labels.of(owner, Component.REDIS)).endMetadata()
                        .withNewSpec()
                            .withSecurityContext(PodSecurity.nonRoot(USER))
                            .addNewContainer()
                                .withName("redis")
                                .withImage(redis.imageOrDefault())
                                .withImagePullPolicy("IfNotPresent")
                                .withCommand("redis-server")
                                .withArgs("--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "no", "--save", "")
                                .addNewEnv()
                                    .withName("REDIS_PASSWORD")
                                    .withNewValueFrom().withNewSecretKeyRef()
                                        .withName(ResourceNames.credentials(owner))
                                        .withKey(ResourceNames.REDIS_PASSWORD_KEY)
                                    .endSecretKeyRef().endValueFrom()
                                .endEnv()
                                .addNewPort().withName("redis").withContainerPort(ResourceNames.REDIS_PORT).withProtocol("TCP").endPort()
                                .withResources(redis.getResources())
                                .withNewLivenessProbe()
                                    .withNewTcpSocket().withPort(new IntOrString("redis")).endTcpSocket()
                                    .withPeriodSeconds(10)
                                .endLivenessProbe()
                                .withNewReadinessProbe()
                                    .withNewExec().withCommand("sh", "-c",
                                            "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG").endExec()
                                    .withPeriodSeconds(5)
                                .endReadinessProbe()
                                .withSecurityContext(PodSecurity.restrictedContainer(true))
                                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
