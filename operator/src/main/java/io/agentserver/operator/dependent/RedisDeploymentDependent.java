package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.ConfigHash;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.List;
import java.util.Map;

/**
 * {@code <name>-redis}: one Redis pod with a generated password and no persistence (it carries
 * live events only; the store is PostgreSQL). Exists only while {@code spec.redis.managed}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisDeploymentDependent extends OwnedDependent<Deployment> {

    private static final long USER = 999;
    public static final String DEFAULT_CPU_REQUEST = "50m";
    public static final String DEFAULT_MEMORY_REQUEST = "64Mi";

    public RedisDeploymentDependent() {
        super(Deployment.class, Component.REDIS);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.redis(owner);
    }

    @Override
    protected Deployment desired(AgentServer owner, Context<AgentServer> context) {
        String passwordHash = context.getSecondaryResource(Secret.class, PostgresSecretDependent.CREDENTIALS_DEPENDENT)
                .map(credentials -> ConfigHash.of(Map.of(ResourceNames.REDIS_PASSWORD_KEY,
                        credentials.getData().getOrDefault(ResourceNames.REDIS_PASSWORD_KEY, "")), List.of()))
                .orElse("");
        return desired(owner, podSecurity(context), passwordHash);
    }

    /** The Deployment; {@code passwordHash} in the pod template restarts Redis when its password changes. */
    Deployment desired(AgentServer owner, PodSecurity security, String passwordHash) {
        RedisSpec redis = owner.getSpec().getRedis() == null ? RedisSpec.managed() : owner.getSpec().getRedis();
        return new DeploymentBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(Labels.selector(owner, Component.REDIS)).endSelector()
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(owner, Component.REDIS))
                            .withAnnotations(Map.of(ResourceNames.HASH_ANNOTATION, passwordHash))
                        .endMetadata()
                        .withNewSpec()
                            .withSecurityContext(security.rootImageAs(USER))
                            .withEnableServiceLinks(false)
                            .addNewContainer()
                                .withName("redis")
                                .withImage(redis.imageOrDefault())
                                .withImagePullPolicy(owner.getSpec().imagePullPolicyOrDefault())
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
                                .withResources(redis.getResources() != null ? redis.getResources()
                                        : new ResourceRequirementsBuilder()
                                                .addToRequests("cpu", new Quantity(DEFAULT_CPU_REQUEST))
                                                .addToRequests("memory", new Quantity(DEFAULT_MEMORY_REQUEST))
                                                .build())
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
