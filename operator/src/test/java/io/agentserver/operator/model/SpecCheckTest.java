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

        assertThat(SpecCheck.problems(resource.getSpec())).containsExactly("spec.database: set managed: true, or else give a url");
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
}
