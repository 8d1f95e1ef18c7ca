package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.PodTemplateSettings;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.ConfigHash;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.ServerEnvironment;
import io.agentserver.operator.model.ServerPodExtras;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.agentserver.operator.api.ShutdownSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <name>}: the agent server pods. Env from the ConfigMap and the Secrets, probes on the
 * service's health endpoints, a non-root read-only container (the image's own user: no fixed UID),
 * and a hash annotation over the configuration, the referenced Secrets and the generated
 * credentials that rolls the pods when any of them changes.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerDeploymentDependent extends OwnedDependent<Deployment> {

    static final String CONTAINER = "agent-server";

    public ServerDeploymentDependent() {
        super(Deployment.class, Component.SERVER);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.server(owner);
    }

    @Override
    protected Deployment desired(AgentServer owner, Context<AgentServer> context) {
        ServerEnvironment environment = new ServerEnvironment(owner);
        List<Secret> secrets = new ArrayList<>(ReferencedSecrets.present(context, owner));
        context.getSecondaryResource(Secret.class, PostgresSecretDependent.CREDENTIALS_DEPENDENT).ifPresent(secrets::add);
        String hash = ConfigHash.of(environment.configData(), secrets);
        return desired(owner, hash, useSSA(context), getSecondaryResource(owner, context),
                context.getControllerConfiguration().fieldManager());
    }

    /**
     * The Deployment for a configuration hash, with the replica count left to the autoscaler when one
     * is enabled (see {@link ReplicasUnderAutoscaler}).
     */
    Deployment desired(AgentServer owner, String configHash, boolean serverSideApply, Optional<Deployment> actual,
                       String fieldManager) {
        Deployment desired = desired(owner, configHash);
        if (owner.getSpec().autoscaled()) {
            desired.getSpec().setReplicas(ReplicasUnderAutoscaler.replicas(serverSideApply, actual,
                    owner.getSpec().getAutoscaling().minReplicasOrDefault(), fieldManager));
        }
        return desired;
    }

    /** The Deployment for a given configuration hash. */
    Deployment desired(AgentServer owner, String configHash) {
        AgentServerSpec spec = owner.getSpec();
        PodTemplateSettings pod = spec.getPodTemplate() == null ? new PodTemplateSettings() : spec.getPodTemplate();
        Map<String, String> podLabels = new LinkedHashMap<>();
        if (pod.getLabels() != null) {
            podLabels.putAll(pod.getLabels());
        }
        podLabels.putAll(Labels.of(owner, Component.SERVER));
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        if (pod.getAnnotations() != null) {
            podAnnotations.putAll(pod.getAnnotations());
        }
        podAnnotations.put("prometheus.io/scrape", "true");
        podAnnotations.put("prometheus.io/port", String.valueOf(ResourceNames.CONTAINER_PORT));
        podAnnotations.put("prometheus.io/path", "/metrics");
        podAnnotations.put(ResourceNames.HASH_ANNOTATION, configHash);

        Deployment deployment = new DeploymentBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withReplicas(spec.replicasOrDefault())
                    .withRevisionHistoryLimit(5)
                    .withNewSelector().withMatchLabels(Labels.selector(owner, Component.SERVER)).endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxUnavailable(new IntOrString(0))
                            .withMaxSurge(new IntOrString(1))
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).withAnnotations(podAnnotations).endMetadata()
                        .withNewSpec()
                            .withNodeSelector(pod.getNodeSelector())
                            .withTolerations(pod.getTolerations())
                            .withTerminationGracePeriodSeconds(spec.shutdownOrDefault().terminationGracePeriodSeconds())
                            .withSecurityContext(PodSecurity.imageUser())
                            .withEnableServiceLinks(false)
                            .withContainers(container(owner))
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                            .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        ServerPodExtras.apply(pod, deployment.getSpec().getTemplate().getSpec());
        return deployment;
    }

    private Container container(AgentServer owner) {
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(owner.getSpec().getImage())
                .withImagePullPolicy(owner.getSpec().imagePullPolicyOrDefault())
                .addNewPort().withName("http").withContainerPort(ResourceNames.CONTAINER_PORT).withProtocol("TCP").endPort()
                .addNewEnvFrom().withNewConfigMapRef().withName(ResourceNames.config(owner)).endConfigMapRef().endEnvFrom()
                .withEnv(new ServerEnvironment(owner).containerEnv())
                .withResources(owner.getSpec().getResources())
                .withStartupProbe(probe("/health/live", 2, 60))
                .withLivenessProbe(probe("/health/live", 10, 3))
                .withReadinessProbe(probe("/health/ready", 5, 2))
                .withLifecycle(preStop(owner.getSpec().shutdownOrDefault()))
                .withSecurityContext(PodSecurity.restrictedContainer(true))
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/app/data").endVolumeMount()
                .build();
    }

    /**
     * A sleep before SIGTERM, so that the pod keeps taking connections while endpoints stop routing to it (the
     * image has no shell, hence the kubelet's own sleep action rather than an exec of sleep).
     */
    private static Lifecycle preStop(ShutdownSpec shutdown) {
        if (shutdown.preStopSecondsOrDefault() == 0) {
            return null;
        }
        return new LifecycleBuilder().withNewPreStop().withNewSleep().withSeconds((long) shutdown.preStopSecondsOrDefault())
                .endSleep().endPreStop().build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
