package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.JwtAlgorithm;
import io.agentserver.operator.api.SecretKeyRef;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.status.ConditionType;
import io.agentserver.operator.support.Eventually;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator end to end on the mock API server (CRUD mode), starting from the generated CRD. */
class AgentServerReconcilerIT {

    private static final List<Class<? extends HasMetadata>> OWNED = List.of(Deployment.class, StatefulSet.class,
            Service.class, ConfigMap.class, Secret.class, PodDisruptionBudget.class);

    private MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = MockCluster.withOperator();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void createsEveryObjectOfAManagedInstanceWithItsWiringAndStatus() {
        AgentServer created = cluster.create(Samples.managed("demo"));

        Deployment server = awaitPresent(Deployment.class, "demo");
        awaitPresent(Service.class, "demo");
        ConfigMap config = awaitPresent(ConfigMap.class, "demo-config");
        awaitPresent(Secret.class, "demo-credentials");
        awaitPresent(Deployment.class, "demo-redis");
        awaitPresent(Service.class, "demo-redis");
        awaitPresent(StatefulSet.class, "demo-postgres");
        awaitPresent(Service.class, "demo-postgres");
        Secret postgres = awaitPresent(Secret.class, "demo-postgres");
        AgentServer resource = awaitPhase("demo", Phase.Progressing);

        assertThat(config.getData()).containsEntry("DB_CONNECTION_URL", "jdbc:postgresql://demo-postgres:5432/agentserver")
                .containsEntry("AUTH_JWT_AUDIENCE", "authenticated");
        assertThat(env(server)).extracting(EnvVar::getName)
                .contains("AUTH_JWT_SECRET", "DB_CONNECTION_USERNAME", "DB_CONNECTION_PASSWORD", "REDIS_PASSWORD", "REDIS_URI");
        assertThat(env(server, "REDIS_URI").getValue()).isEqualTo("redis://demo-redis:6379/0");
        assertThat(env(server, "DB_CONNECTION_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("demo-postgres");
        assertThat(postgres.getData()).containsKeys("username", "password", "database", "jdbc-url");
        assertThat(server.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(ResourceNames.HASH_ANNOTATION);
        assertThat(cluster.get(PodDisruptionBudget.class, "demo")).as("no PDB with one replica").isNull();

        String uid = cluster.get("demo").getMetadata().getUid();
        assertThat(cluster.all(OWNED)).as("2 Deployments, a StatefulSet, 3 Services, a ConfigMap, 2 Secrets").hasSize(9).allSatisfy(owned -> {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(uid));
            assertThat(owned.getMetadata().getLabels())
                    .containsEntry(Labels.INSTANCE, "demo")
                    .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR_NAME)
                    .containsKey(Labels.COMPONENT);
        });
        assertThat(created.getMetadata().getName()).isEqualTo("demo");
        assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(resource.getMetadata().getGeneration());
        assertThat(resource.getStatus().getEndpoint()).isEqualTo("ws://demo.agents.svc:8080");
        assertThat(condition(resource, ConditionType.RECONCILED).getStatus()).isEqualTo("True");
        assertThat(condition(resource, ConditionType.READY).getStatus()).isEqualTo("False");
    }

    @Test
    void becomesReadyOnlyWhenServerRedisAndDatabaseAreAllAvailable() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(StatefulSet.class, "demo-postgres");
        awaitPresent(Deployment.class, "demo-redis");

        cluster.markAvailable("demo");
        cluster.markAvailable("demo-redis");
        AgentServer waiting = await("Ready waits for the database", () -> cluster.get("demo"),
                r -> r.getStatus() != null && "DatabaseNotReady".equals(condition(r, ConditionType.READY).getReason()));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(Phase.Progressing);
        assertThat(condition(waiting, ConditionType.REDIS_READY).getStatus()).isEqualTo("True");

        cluster.markReady("demo-postgres");
        AgentServer ready = awaitPhase("demo", Phase.Ready);
        assertThat(condition(ready, ConditionType.READY).getStatus()).isEqualTo("True");
        assertThat(condition(ready, ConditionType.DATABASE_READY).getStatus()).isEqualTo("True");
        assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(1);
    }

    @Test
    void specChangePropagatesAndObservedGenerationFollows() {
        cluster.create(Samples.managed("demo"));
        awaitPhase("demo", Phase.Progressing);
        cluster.markAvailable("demo");

        edit("demo", r -> {
            r.getSpec().setReplicas(3);
            r.getSpec().setImage("ghcr.io/agent-server/agent-server:0.2.0");
            return r;
        });

        await("Deployment scaled", () -> cluster.get(Deployment.class, "demo"),
                d -> d.getSpec().getReplicas() == 3
                        && d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().endsWith(":0.2.0"));
        awaitPresent(PodDisruptionBudget.class, "demo");
        AgentServer resource = await("observedGeneration", () -> cluster.get("demo"),
                r -> Objects.equals(r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration())
                        && r.getMetadata().getGeneration() == 2);
        assertThat(resource.getStatus().getPhase()).as("new generation not rolled out yet").isEqualTo(Phase.Progressing);

        edit("demo", r -> {
            r.getSpec().setReplicas(1);
            return r;
        });
        await("PDB removed with one replica", () -> cluster.get(PodDisruptionBudget.class, "demo"), Objects::isNull);
    }

    @Test
    void handEditsAndDeletionsAreRepaired() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(Service.class, "demo");
        awaitPhase("demo", Phase.Progressing);

        cluster.client().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("demo").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("evil:latest");
            d.getSpec().setReplicas(7);
            return d;
        });
        cluster.client().resource(cluster.get(Service.class, "demo")).delete();
        cluster.client().resource(cluster.get(ConfigMap.class, "demo-config")).delete();

        await("Deployment repaired", () -> cluster.get(Deployment.class, "demo"),
                d -> d.getSpec().getReplicas() == 1
                        && d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals(Samples.IMAGE));
        awaitPresent(Service.class, "demo");
        awaitPresent(ConfigMap.class, "demo-config");
    }

    @Test
    void switchingRedisAndDatabaseBetweenManagedAndExternalDeletesOrCreatesTheManagedObjects() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(Deployment.class, "demo-redis");
        awaitPresent(StatefulSet.class, "demo-postgres");

        edit("demo", r -> {
            r.getSpec().setRedis(RedisSpec.external("redis://redis.infra:6379/0"));
            r.getSpec().setDatabase(DatabaseSpec.external("jdbc:postgresql://db.infra:5432/agentserver"));
            return r;
        });

        awaitAbsent(Deployment.class, "demo-redis");
        awaitAbsent(Service.class, "demo-redis");
        awaitAbsent(StatefulSet.class, "demo-postgres");
        awaitAbsent(Service.class, "demo-postgres");
        awaitAbsent(Secret.class, "demo-postgres");
        Deployment server = await("server wired to external Redis", () -> cluster.get(Deployment.class, "demo"),
                d -> "redis://redis.infra:6379/0".equals(envValue(d, "REDIS_URI")));
        assertThat(env(server)).extracting(EnvVar::getName).doesNotContain("REDIS_PASSWORD", "DB_CONNECTION_PASSWORD");
        await("config points at the external database", () -> cluster.get(ConfigMap.class, "demo-config"),
                c -> "jdbc:postgresql://db.infra:5432/agentserver".equals(c.getData().get("DB_CONNECTION_URL")));
        AgentServer external = awaitPhase("demo", Phase.Progressing);
        assertThat(condition(external, ConditionType.REDIS_READY).getReason()).isEqualTo("External");

        edit("demo", r -> {
            r.getSpec().setRedis(RedisSpec.managed());
            r.getSpec().setDatabase(DatabaseSpec.managed());
            return r;
        });
        awaitPresent(Deployment.class, "demo-redis");
        awaitPresent(Service.class, "demo-redis");
        awaitPresent(StatefulSet.class, "demo-postgres");
        awaitPresent(Secret.class, "demo-postgres");
    }

    @Test
    void aStorageChangeDoesNotBlockLaterPostgresChanges() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(StatefulSet.class, "demo-postgres");

        edit("demo", r -> {
            r.getSpec().getDatabase().setStorage("5Gi");
            r.getSpec().getDatabase().setStorageClassName("fast");
            return r;
        });
        edit("demo", r -> {
            r.getSpec().getDatabase().setImage("postgres:16.4-alpine");
            return r;
        });

        StatefulSet updated = await("later change applied", () -> cluster.get(StatefulSet.class, "demo-postgres"),
                s -> s.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("postgres:16.4-alpine"));
        var claim = updated.getSpec().getVolumeClaimTemplates().getFirst().getSpec();
        assertThat(claim.getResources().getRequests().get("storage").toString()).as("a claim template cannot change").isEqualTo("1Gi");
        assertThat(claim.getStorageClassName()).isNull();
        assertThat(cluster.refusedByRbac()).isEmpty();
        AgentServer degraded = awaitPhase("demo", Phase.Degraded);
        assertThat(condition(degraded, ConditionType.RECONCILED).getMessage())
                .contains("expand the PersistentVolumeClaim data-demo-postgres-0 directly");
    }

    @Test
    void aStorageSizeTheApiServerStoresInCanonicalFormCausesNoUpdates() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().getDatabase().setStorage("1024Mi");
        cluster.create(resource);
        awaitPresent(StatefulSet.class, "demo-postgres");
        awaitPhase("demo", Phase.Progressing);
        // Play the API server, which stores quantities canonically (same amount, so the claim rule lets it pass).
        StatefulSet stored = cluster.get(StatefulSet.class, "demo-postgres");
        stored.getSpec().getVolumeClaimTemplates().getFirst().getSpec().getResources().getRequests()
                .put("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"));
        stored.getMetadata().setResourceVersion(null);
        String canonical = cluster.client().resource(stored).update().getMetadata().getResourceVersion();

        edit("demo", r -> {
            r.getSpec().setReplicas(2);
            return r;
        });
        await("server scaled", () -> cluster.get(Deployment.class, "demo"), d -> d.getSpec().getReplicas() == 2);
        Eventually.sleep(Duration.ofSeconds(1));

        assertThat(cluster.get(StatefulSet.class, "demo-postgres").getMetadata().getResourceVersion())
                .as("no update of the StatefulSet").isEqualTo(canonical);
        assertThat(cluster.refusedByRbac()).isEmpty();
    }

    @Test
    void generatedCredentialsAreCreatedOnceAndNeverRewritten() {
        cluster.create(Samples.managed("demo"));
        Map<String, String> original = awaitPresent(Secret.class, "demo-credentials").getData();
        assertThat(original).containsOnlyKeys(ResourceNames.JWT_SECRET_KEY, ResourceNames.REDIS_PASSWORD_KEY,
                ResourceNames.POSTGRES_PASSWORD_KEY);
        Secret postgres = awaitPresent(Secret.class, "demo-postgres");
        assertThat(postgres.getData().get("password")).isEqualTo(original.get(ResourceNames.POSTGRES_PASSWORD_KEY));

        edit("demo", r -> {
            r.getSpec().setImage("ghcr.io/agent-server/agent-server:0.3.0");
            return r;
        });
        await("spec change applied", () -> cluster.get(Deployment.class, "demo"),
                d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().endsWith(":0.3.0"));

        assertThat(cluster.get(Secret.class, "demo-credentials").getData()).isEqualTo(original);
    }

    @Test
    void aRecreatedAgentServerGivesItsKeptVolumeTheNewPasswordThroughTheInitContainer() {
        cluster.create(Samples.managed("demo"));
        String firstPassword = awaitPresent(Secret.class, "demo-postgres").getData().get("password");
        String firstHash = podHash(awaitPresent(StatefulSet.class, "demo-postgres"));
        awaitPhase("demo", Phase.Progressing);
        // The volume outlives the AgentServer: its claim is not owned (retention policy Retain).
        cluster.client().resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-demo-postgres-0")
                .withNamespace(MockCluster.NAMESPACE).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .endSpec().build()).create();
        String uid = cluster.get("demo").getMetadata().getUid();

        cluster.client().resource(cluster.get("demo")).delete();
        await("AgentServer deleted", () -> cluster.get("demo"), Objects::isNull);
        await("owned objects collected", () -> {
            cluster.collectGarbage(uid, OWNED);
            return cluster.all(OWNED);
        }, List::isEmpty);
        assertThat(cluster.get(PersistentVolumeClaim.class, "data-demo-postgres-0")).isNotNull();

        cluster.create(Samples.managed("demo"));
        Secret secret = await("new connection Secret", () -> cluster.get(Secret.class, "demo-postgres"),
                s -> s != null && !s.getData().get("password").equals(firstPassword));
        StatefulSet postgres = await("new StatefulSet", () -> cluster.get(StatefulSet.class, "demo-postgres"), Objects::nonNull);

        assertThat(podHash(postgres)).as("the new password rolls the pod").isNotEqualTo(firstHash);
        Container prepare = postgres.getSpec().getTemplate().getSpec().getInitContainers().getFirst();
        assertThat(prepare.getCommand()).last().asString().contains("ALTER ROLE");
        assertThat(prepare.getEnv()).filteredOn(e -> e.getName().equals("POSTGRES_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef()).satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("demo-postgres");
                    assertThat(secret.getData()).containsKey(ref.getKey());
                }));
        assertThat(postgres.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName())
                .as("the pod mounts the kept claim data-demo-postgres-0").isEqualTo("data");
    }

    @Test
    void newGeneratedCredentialsRollTheServerPods() {
        cluster.create(Samples.managed("demo"));
        String first = hash(awaitPresent(Deployment.class, "demo"));
        awaitPhase("demo", Phase.Progressing);

        cluster.client().resource(cluster.get(Secret.class, "demo-credentials")).delete();

        await("hash after new credentials", () -> hash(cluster.get(Deployment.class, "demo")), h -> !h.equals(first));
    }

    @Test
    void externalDatabaseWithoutUrlFailsWithAClearConditionAndAppliesNothing() {
        AgentServer bad = Samples.minimal("bad");
        bad.getSpec().setDatabase(new DatabaseSpec());
        cluster.create(bad);

        AgentServer failed = awaitPhase("bad", Phase.Failed);
        Condition reconciled = condition(failed, ConditionType.RECONCILED);
        assertThat(reconciled.getStatus()).isEqualTo("False");
        assertThat(reconciled.getReason()).isEqualTo("InvalidSpec");
        assertThat(reconciled.getMessage()).isEqualTo("spec.database: set managed: true, cloudNativePG, or else give a url");
        assertThat(condition(failed, ConditionType.READY).getReason()).isEqualTo("InvalidSpec");
        assertThat(cluster.get(Deployment.class, "bad")).isNull();

        edit("bad", r -> {
            r.getSpec().getDatabase().setUrl("jdbc:postgresql://db.infra:5432/agentserver");
            return r;
        });
        awaitPhase("bad", Phase.Progressing);
        awaitPresent(Deployment.class, "bad");
    }

    @Test
    void aNameTooLongForItsDerivedNamesFailsInStatusAndAppliesNothing() {
        String name = "a".repeat(60);
        cluster.create(Samples.managed(name));

        AgentServer failed = awaitPhase(name, Phase.Failed);
        assertThat(condition(failed, ConditionType.RECONCILED).getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(failed, ConditionType.RECONCILED).getMessage()).startsWith("metadata.name is 60 characters");
        assertThat(cluster.all(OWNED)).isEmpty();
    }

    @Test
    void aShortHs256SecretFailsInStatusUntilTheSecretIsLongEnough() {
        createSecret("jwt", Map.of("key", java.util.Base64.getEncoder().encodeToString("short".getBytes())));
        AgentServer resource = Samples.minimal("hs");
        AuthSpec auth = new AuthSpec();
        auth.setSecretRef(new SecretKeyRef("jwt", "key"));
        resource.getSpec().setAuth(auth);
        cluster.create(resource);

        AgentServer failed = awaitPhase("hs", Phase.Failed);
        assertThat(condition(failed, ConditionType.RECONCILED).getMessage()).contains("holds 5 bytes; HS256 needs at least 32");
        assertThat(cluster.get(Deployment.class, "hs")).isNull();

        cluster.client().secrets().inNamespace(MockCluster.NAMESPACE).withName("jwt").edit(s -> new SecretBuilder(s)
                .addToData("key", java.util.Base64.getEncoder().encodeToString("x".repeat(32).getBytes())).build());
        awaitPresent(Deployment.class, "hs");
        awaitPhase("hs", Phase.Progressing);
    }

    @Test
    void missingSecretDegradesWithItsNameAndRecoversWhenItAppears() {
        cluster.create(Samples.external("ext"));

        AgentServer degraded = awaitPhase("ext", Phase.Degraded);
        Condition reconciled = condition(degraded, ConditionType.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("SecretNotFound");
        assertThat(reconciled.getMessage())
                .contains("Secret \"redis-auth\" (referenced by spec.redis.passwordSecretRef) does not exist")
                .contains("Secret \"db-credentials\" (referenced by spec.database.credentialsSecretRef) does not exist");
        assertThat(cluster.get(Deployment.class, "ext")).isNull();

        createSecret("redis-auth", Map.of("password", "cmVkaXM="));
        createSecret("db-credentials", Map.of("username", "dXNlcg==", "password", "cGFzcw=="));

        Deployment server = awaitPresent(Deployment.class, "ext");
        assertThat(envValue(server, "REDIS_URI")).isEqualTo("redis://redis.infra:6379/0");
        assertThat(env(server, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-auth");
        assertThat(env(server, "DB_CONNECTION_USERNAME").getValueFrom().getSecretKeyRef().getName()).isEqualTo("db-credentials");
        awaitPresent(PodDisruptionBudget.class, "ext");
        awaitPhase("ext", Phase.Progressing);
    }

    @Test
    void onlyReferencedSecretsAreWatchedAndTheyAreLabelledForIt() {
        createSecret("unrelated", Map.of("token", "eA=="));
        createSecret("redis-auth", Map.of("password", "cmVkaXM="));
        createSecret("db-credentials", Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
        cluster.create(Samples.external("ext"));
        awaitPresent(Deployment.class, "ext");

        assertThat(cluster.operatorRequests()).filteredOn(r -> r.startsWith("GET ") && r.contains("/secrets?"))
                .as("every Secret list and watch selects by label").isNotEmpty()
                .allSatisfy(r -> assertThat(r).contains("labelSelector="));
        assertThat(cluster.get(Secret.class, "redis-auth").getMetadata().getLabels()).containsEntry("agentserver.io/watched", "true");
        assertThat(cluster.get(Secret.class, "db-credentials").getMetadata().getLabels()).containsEntry("agentserver.io/watched", "true");
        assertThat(cluster.get(Secret.class, "unrelated").getMetadata().getLabels()).doesNotContainKey("agentserver.io/watched");
    }

    @Test
    void aChangedReferencedSecretOrConfigRollsThePods() {
        createSecret("redis-auth", Map.of("password", "cmVkaXM="));
        createSecret("db-credentials", Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
        cluster.create(Samples.external("ext"));
        String first = hash(awaitPresent(Deployment.class, "ext"));

        cluster.client().secrets().inNamespace(MockCluster.NAMESPACE).withName("db-credentials")
                .edit(s -> new SecretBuilder(s).addToData("password", "bmV3").build());
        String second = await("hash after Secret change", () -> hash(cluster.get(Deployment.class, "ext")),
                h -> !h.equals(first));

        edit("ext", r -> {
            r.getSpec().setConfig(Map.of("server.idle-connection-timeout", "PT30M"));
            return r;
        });
        await("hash after config change", () -> hash(cluster.get(Deployment.class, "ext")), h -> !h.equals(second));
        assertThat(cluster.get(ConfigMap.class, "ext-config").getData())
                .containsEntry("SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT", "PT30M");
    }

    @Test
    void removedConfigKeysAndASwitchFromJwksUrlToASecretLeaveNothingStaleInTheConfigMap() {
        createSecret("jwt-key", Map.of("public.pem", "LS0tLS1CRUdJTg=="));
        AgentServer resource = Samples.minimal("cfg");
        resource.getSpec().setConfig(Map.of("server.idle-connection-timeout", "PT30M", "xagent.max-steps", "50"));
        AuthSpec jwks = new AuthSpec();
        jwks.setAlgorithm(JwtAlgorithm.RS256);
        jwks.setJwksUrl("https://issuer.example/jwks.json");
        resource.getSpec().setAuth(jwks);
        cluster.create(resource);
        ConfigMap before = awaitPresent(ConfigMap.class, "cfg-config");
        assertThat(before.getData()).containsKeys("XAGENT_MAX_dash_STEPS", "AUTH_JWT_JWKS_URL");

        edit("cfg", r -> {
            r.getSpec().setConfig(Map.of("server.idle-connection-timeout", "PT30M"));
            AuthSpec secret = new AuthSpec();
            secret.setAlgorithm(JwtAlgorithm.RS256);
            secret.setSecretRef(new SecretKeyRef("jwt-key", "public.pem"));
            r.getSpec().setAuth(secret);
            return r;
        });

        ConfigMap after = await("removed keys gone", () -> cluster.get(ConfigMap.class, "cfg-config"),
                c -> !c.getData().containsKey("XAGENT_MAX_dash_STEPS"));
        assertThat(after.getData()).doesNotContainKey("AUTH_JWT_JWKS_URL")
                .containsEntry("SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT", "PT30M");
        Deployment server = await("server reads the key from the Secret", () -> cluster.get(Deployment.class, "cfg"),
                d -> env(d).stream().anyMatch(e -> e.getName().equals("AUTH_JWT_PUBLIC_KEY")));
        assertThat(env(server, "AUTH_JWT_PUBLIC_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("jwt-key");
    }

    @Test
    void aKeyAddedByHandToAnOwnedSecretIsRemoved() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(Secret.class, "demo-postgres");
        awaitPhase("demo", Phase.Progressing);

        cluster.client().secrets().inNamespace(MockCluster.NAMESPACE).withName("demo-postgres")
                .edit(s -> new SecretBuilder(s).addToData("stray", "eA==").build());

        await("stray key removed", () -> cluster.get(Secret.class, "demo-postgres"),
                s -> !s.getData().containsKey("stray"));
    }

    @Test
    void statusIsWrittenOnlyWhenItChanges() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(Service.class, "demo-postgres");
        awaitPhase("demo", Phase.Progressing);
        Eventually.sleep(Duration.ofSeconds(1));
        AgentServer settled = cluster.get("demo");

        cluster.client().services().inNamespace(MockCluster.NAMESPACE).withName("demo")
                .edit(s -> {
                    s.getMetadata().getLabels().put("touched", "yes");
                    return s;
                });
        Eventually.sleep(Duration.ofSeconds(1));

        AgentServer after = cluster.get("demo");
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(settled.getMetadata().getResourceVersion());
        assertThat(after.getStatus()).isEqualTo(settled.getStatus());
    }

    @Test
    void deletionLeavesNothingBehindOnceOwnedObjectsAreCollected() {
        cluster.create(Samples.managed("demo"));
        awaitPresent(Service.class, "demo-postgres");
        awaitPresent(Secret.class, "demo-postgres");
        awaitPhase("demo", Phase.Progressing);
        String uid = cluster.get("demo").getMetadata().getUid();

        cluster.client().resource(cluster.get("demo")).delete();
        await("AgentServer deleted", () -> cluster.get("demo"), Objects::isNull);
        assertThat(cluster.collectGarbage(uid, OWNED)).isEqualTo(9);
        // A reconcile already in flight when the delete arrived may write once more; a real garbage
        // collector keeps removing orphans, so the stand-in does too until the operator has settled.
        await("orphans collected", () -> {
            cluster.collectGarbage(uid, OWNED);
            return cluster.all(OWNED);
        }, List::isEmpty);
        Eventually.sleep(Duration.ofSeconds(1));

        assertThat(cluster.all(OWNED)).as("nothing recreated after the deletion was seen").isEmpty();
    }

    private <T extends HasMetadata> T awaitPresent(Class<T> type, String name) {
        return await(type.getSimpleName() + " " + name, () -> cluster.get(type, name), Objects::nonNull);
    }

    private <T extends HasMetadata> void awaitAbsent(Class<T> type, String name) {
        await(type.getSimpleName() + " " + name + " deleted", () -> cluster.get(type, name), Objects::isNull);
    }

    private AgentServer awaitPhase(String name, Phase phase) {
        return await(name + " in phase " + phase, () -> cluster.get(name),
                r -> r.getStatus() != null && r.getStatus().getPhase() == phase);
    }

    private void edit(String name, UnaryOperator<AgentServer> change) {
        cluster.edit(name, change);
    }

    private void createSecret(String name, Map<String, String> data) {
        cluster.client().resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(MockCluster.NAMESPACE).endMetadata().withData(data).build()).create();
    }

    private static Condition condition(AgentServer resource, String type) {
        return resource.getStatus().condition(type).orElseThrow();
    }

    private static List<EnvVar> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
    }

    private static EnvVar env(Deployment deployment, String name) {
        return env(deployment).stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String envValue(Deployment deployment, String name) {
        return env(deployment).stream().filter(e -> e.getName().equals(name)).findFirst().map(EnvVar::getValue).orElse(null);
    }

    private static String podHash(StatefulSet statefulSet) {
        return statefulSet.getSpec().getTemplate().getMetadata().getAnnotations().get(ResourceNames.HASH_ANNOTATION);
    }

    private static String hash(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(ResourceNames.HASH_ANNOTATION);
    }
}
