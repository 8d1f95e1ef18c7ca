package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.api.JwtAlgorithm;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.api.SecretKeyRef;
import io.agentserver.operator.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpecCheckTest {

    @Test
    void samplesPass() {
        assertThat(SpecCheck.problems(Samples.managed("a").getSpec())).isEmpty();
        assertThat(SpecCheck.problems(Samples.external("b").getSpec())).isEmpty();
        assertThat(SpecCheck.problems(Samples.minimal("c").getSpec())).isEmpty();
    }

    @Test
    void externalDatabaseNeedsAUrl() {
        AgentServer resource = Samples.minimal("x");
        resource.getSpec().setDatabase(new DatabaseSpec());

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly("spec.database: set managed: true, cloudNativePG, or else give a url");
    }

    @Test
    void cloudNativePgStandsAloneAndItsBackupNeedsAStoreAndKeys() {
        AgentServer resource = Samples.minimal("x");
        DatabaseSpec database = DatabaseSpec.managed();
        database.setCloudNativePG(new io.agentserver.operator.api.CloudNativePgSpec());
        var backup = new io.agentserver.operator.api.CloudNativePgBackupSpec();
        backup.setDestinationPath("/backups");
        database.getCloudNativePG().setBackup(backup);
        resource.getSpec().setDatabase(database);

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly(
                "spec.database: cloudNativePG takes no managed, url or credentialsSecretRef",
                "spec.database.cloudNativePG.backup.destinationPath must be an s3:// url",
                "spec.database.cloudNativePG.backup needs accessKeyIdSecretRef and secretAccessKeySecretRef");

        database.setManaged(null);
        database.getCloudNativePG().setBackup(null);
        assertThat(SpecCheck.problems(resource.getSpec())).isEmpty();
        assertThat(resource.getSpec().managedDatabase()).isFalse();
        assertThat(resource.getSpec().cloudNativePg()).isTrue();
    }

    @Test
    void managedRedisTakesNoUrlAndUrlsMustHaveTheRightScheme() {
        AgentServer resource = Samples.minimal("x");
        RedisSpec redis = RedisSpec.managed();
        redis.setUrl("http://nope");
        resource.getSpec().setRedis(redis);
        resource.getSpec().setDatabase(DatabaseSpec.external("postgres://db"));

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactlyInAnyOrder(
                "spec.redis: a managed Redis takes no url",
                "spec.redis.url must start with redis:// or rediss://",
                "spec.database.url must be a PostgreSQL JDBC url (jdbc:postgresql://host:5432/db)");
    }

    @Test
    void severalReplicasNeedRedisAndDatabase() {
        AgentServer resource = Samples.minimal("x");
        resource.getSpec().setReplicas(3);

        assertThat(SpecCheck.problems(resource.getSpec())).singleElement().asString()
                .startsWith("spec.replicas > 1 needs spec.redis and spec.database");
    }

    @Test
    void authRulesMirrorTheCelRules() {
        AgentServer resource = Samples.minimal("x");
        AuthSpec auth = new AuthSpec();
        auth.setAlgorithm(JwtAlgorithm.ES256);
        resource.getSpec().setAuth(auth);
        assertThat(SpecCheck.problems(resource.getSpec()))
                .containsExactly("spec.auth: ES256 needs secretRef (a PEM public key) or jwksUrl");

        auth.setSecretRef(new SecretKeyRef("k", null));
        auth.setJwksUrl("https://issuer/jwks");
        assertThat(SpecCheck.problems(resource.getSpec())).containsExactlyInAnyOrder(
                "spec.auth: give secretRef or jwksUrl, not both",
                "spec.auth.secretRef needs both name and key");
    }

    @Test
    void imageIsRequired() {
        AgentServer resource = Samples.minimal("x");
        resource.getSpec().setImage(" ");

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly("spec.image is required");
    }

    @Test
    void aJwksUrlWithTheDefaultHs256IsRefused() {
        AgentServer resource = Samples.minimal("x");
        AuthSpec auth = new AuthSpec();
        auth.setJwksUrl("https://issuer.example/jwks.json");
        resource.getSpec().setAuth(auth);

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly(
                "spec.auth: a jwksUrl serves public keys; set algorithm RS256 or ES256 (HS256 needs a shared secret)");
        auth.setAlgorithm(JwtAlgorithm.RS256);
        assertThat(SpecCheck.problems(resource.getSpec())).isEmpty();
    }

    @Test
    void anHs256SecretShorterThan32BytesIsRefused() {
        AuthSpec auth = new AuthSpec();
        auth.setSecretRef(new SecretKeyRef("jwt", "key"));

        assertThat(SpecCheck.sharedSecretProblem(auth, new byte[31])).hasValue(
                "Secret \"jwt\" key \"key\" (spec.auth.secretRef) holds 31 bytes; HS256 needs at least 32");
        assertThat(SpecCheck.sharedSecretProblem(auth, new byte[32])).isEmpty();
        auth.setAlgorithm(JwtAlgorithm.RS256);
        assertThat(SpecCheck.sharedSecretProblem(auth, new byte[10])).as("a public key, not a shared secret").isEmpty();
    }

    @Test
    void namesLongerThan43OrNotDnsLabelsAreRefused() {
        assertThat(SpecCheck.nameProblems("a".repeat(43))).isEmpty();
        assertThat(SpecCheck.nameProblems("a".repeat(44))).singleElement().asString()
                .startsWith("metadata.name is 44 characters; at most 43");
        assertThat(SpecCheck.nameProblems("my.server")).singleElement().asString().contains("starting with a letter");
        assertThat(SpecCheck.nameProblems("1server")).hasSize(1);
    }
}
