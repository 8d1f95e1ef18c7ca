package io.agentserver.operator.dependent;

import java.util.ArrayList;

import java.util.List;

import io.fabric8.kubernetes.api.model.Quantity;

import io.fabric8.kubernetes.api.model.PodSpec;

import io.agentserver.operator.api.ImagePullPolicy;

import io.agentserver.operator.model.PostgresDataPreparation;

import io.agentserver.operator.model.PodSecurity;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Desired objects of the managed Redis, the managed PostgreSQL and the generated credentials. */
class ManagedBackendDependentsTest {

    @Test
    void redisRequiresTheGeneratedPasswordAndRunsAsNonRoot() {
        Deployment redis = new RedisDeploymentDependent().desired(Samples.managed("demo"), PodSecurity.FIXED_USER_IDS, "h");
        Container container = redis.getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(redis.getMetadata().getName()).isEqualTo("demo-redis");
        assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
        assertThat(container.getImage()).isEqualTo("redis:7.4-alpine");
        assertThat(container.getArgs()).containsSequence("--requirepass", "$(REDIS_PASSWORD)");
        assertThat(container.getEnv().getFirst().getValueFrom().getSecretKeyRef().getName()).isEqualTo("demo-credentials");
        assertThat(redis.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(redis.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "redis");
    }

    @Test
    void postgresGetsAVolumeOfTheRequestedSizeAndItsCredentialsFromItsSecret() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().getDatabase().setStorage("20Gi");
        resource.getSpec().getDatabase().setStorageClassName("fast");

        StatefulSet postgres = new PostgresStatefulSetDependent().desired(resource, PodSecurity.FIXED_USER_IDS, "h");

        assertThat(postgres.getSpec().getServiceName()).isEqualTo("demo-postgres");
        assertThat(postgres.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
            assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
        });
        assertThat(postgres.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        Container container = postgres.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getEnv()).filteredOn(e -> e.getValueFrom() != null)
                .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("demo-postgres"));
        assertThat(container.getReadinessProbe().getExec().getCommand()).last().asString().contains("pg_isready");
    }

    @Test
    void postgresSecretCopiesTheGeneratedPasswordAndNamesTheConnection() {
        Secret credentials = new SecretBuilder().withData(Map.of(ResourceNames.POSTGRES_PASSWORD_KEY, base64("s3cret"))).build();

        Secret secret = new PostgresSecretDependent().desired(Samples.managed("demo"), credentials);

        assertThat(secret.getMetadata().getName()).isEqualTo("demo-postgres");
        assertThat(decode(secret, "password")).isEqualTo("s3cret");
        assertThat(decode(secret, "username")).isEqualTo("agentserver");
        assertThat(decode(secret, "database")).isEqualTo("agentserver");
        assertThat(decode(secret, "jdbc-url")).isEqualTo("jdbc:postgresql://demo-postgres:5432/agentserver");
    }

    @Test
    void generatedCredentialsAreRandomAlphanumericAndDifferEachTime() {
        CredentialsSecretDependent dependent = new CredentialsSecretDependent();

        Secret first = dependent.desired(Samples.managed("demo"), null);
        Secret second = dependent.desired(Samples.managed("demo"), null);

        assertThat(first.getMetadata().getName()).isEqualTo("demo-credentials");
        assertThat(first.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "credentials");
        assertThat(first.getData()).containsOnlyKeys(ResourceNames.JWT_SECRET_KEY, ResourceNames.REDIS_PASSWORD_KEY,
                ResourceNames.POSTGRES_PASSWORD_KEY);
        assertThat(first.getData().values()).allSatisfy(value ->
                assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII)).matches("[A-Za-z0-9]{40}"));
        assertThat(first.getData().get(ResourceNames.JWT_SECRET_KEY)).isNotEqualTo(second.getData().get(ResourceNames.JWT_SECRET_KEY));
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void postgresSurvivesCrashRecoveryHasSharedMemoryAndDefaultRequests() {
        StatefulSet postgres = new PostgresStatefulSetDependent().desired(Samples.managed("demo"), PodSecurity.FIXED_USER_IDS, "h");
        PodSpec pod = postgres.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();

        assertThat(container.getStartupProbe().getFailureThreshold() * container.getStartupProbe().getPeriodSeconds())
                .as("seconds of crash recovery before liveness counts").isGreaterThanOrEqualTo(1800);
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/dev/shm");
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(mount.getName())).singleElement()
                    .satisfies(volume -> assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory"));
        });
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("256Mi"));
        Container redis = new RedisDeploymentDependent().desired(Samples.managed("demo"), PodSecurity.FIXED_USER_IDS, "h")
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(redis.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @Test
    void postgresSetsTheSecretsPasswordAndChecksTheMajorVersionBeforeStarting() {
        StatefulSet postgres = new PostgresStatefulSetDependent().desired(Samples.managed("demo"), PodSecurity.FIXED_USER_IDS, "h1");
        Container prepare = postgres.getSpec().getTemplate().getSpec().getInitContainers().getFirst();

        assertThat(prepare.getImage()).isEqualTo(postgres.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage());
        assertThat(prepare.getCommand()).containsExactly("sh", "-c", PostgresDataPreparation.SCRIPT);
        assertThat(prepare.getEnv()).filteredOn(e -> e.getName().equals("POSTGRES_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("demo-postgres"));
        assertThat(prepare.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/var/lib/postgresql/data");
        assertThat(postgres.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("a new password restarts the pod, so the init container applies it")
                .containsEntry(ResourceNames.HASH_ANNOTATION, "h1");
    }

    @Test
    void withoutFixedUserIdsNoPodAsksForAUidAndAllPassRestrictedSettings() {
        PodSecurity restrictedV2 = new PodSecurity(false);
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setImagePullPolicy(ImagePullPolicy.Always);
        List<PodSpec> pods = List.of(
                new PostgresStatefulSetDependent().desired(resource, restrictedV2, "h").getSpec().getTemplate().getSpec(),
                new RedisDeploymentDependent().desired(resource, restrictedV2, "h").getSpec().getTemplate().getSpec(),
                new ServerDeploymentDependent().desired(resource, "h").getSpec().getTemplate().getSpec());

        assertThat(pods).allSatisfy(pod -> {
            assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
            assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
            assertThat(pod.getSecurityContext().getFsGroup()).isNull();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getEnableServiceLinks()).isFalse();
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(pod.getInitContainers());
            assertThat(containers).allSatisfy(container -> {
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(container.getSecurityContext().getRunAsUser()).isNull();
                assertThat(container.getImagePullPolicy()).isEqualTo("Always");
            });
        });
        assertThat(new PostgresStatefulSetDependent().desired(resource, PodSecurity.FIXED_USER_IDS, "h")
                .getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).as("asked for").isEqualTo(70L);
    }
}
