package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.JwtAlgorithm;
import io.agentserver.operator.api.SecretKeyRef;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.EnvVar;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerEnvironmentTest {

    @Test
    void externalRedisCredentialsAreSeparateSettingsNotPartOfTheUri() {
        AgentServer resource = Samples.external("ext");
        resource.getSpec().getRedis().setUsername("agent");
        List<EnvVar> env = new ServerEnvironment(resource).containerEnv();

        assertThat(find(env, "REDIS_URI").getValue()).as("a base64 password would break inside the url")
                .isEqualTo("redis://redis.infra:6379/0");
        assertThat(find(env, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-auth");
        assertThat(find(env, "REDIS_USERNAME").getValue()).isEqualTo("agent");
        assertThat(find(env, "DB_CONNECTION_USERNAME").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
        assertThat(find(env, "DB_CONNECTION_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @Test
    void anExternalRedisClusterIsClusterModeWithItsSeedNodesAsACommaSeparatedUriListAndTheChosenBus() {
        AgentServer resource = Samples.external("ext");
        resource.getSpec().getRedis().setUrl(null);
        resource.getSpec().getRedis().setCluster(new io.agentserver.operator.api.RedisClusterSpec(
                List.of("redis-0.redis.infra:6379", "redis-1.redis.infra:6380", "10.0.0.7:7000")));
        resource.getSpec().getRedis().setAutogptBus("sharded");
        List<EnvVar> env = new ServerEnvironment(resource).containerEnv();

        assertThat(find(env, "REDIS_MODE").getValue()).isEqualTo("cluster");
        assertThat(find(env, "REDIS_URI").getValue())
                .isEqualTo("redis://redis-0.redis.infra:6379,redis://redis-1.redis.infra:6380,redis://10.0.0.7:7000");
        assertThat(find(env, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-auth");
        assertThat(find(env, "AUTOGPT_BUS").getValue()).isEqualTo("sharded");
        assertThat(io.agentserver.operator.model.SpecCheck.problems(resource.getSpec())).isEmpty();

        assertThat(find(new ServerEnvironment(Samples.managed("m")).containerEnv(), "AUTOGPT_BUS").getValue())
                .as("the default bus").isEqualTo("classic");
        assertThat(new ServerEnvironment(Samples.managed("m")).containerEnv()).extracting(EnvVar::getName)
                .doesNotContain("REDIS_MODE");
    }

    @Test
    void aRedisClusterBesideAManagedRedisOrAUrlIsRefused() {
        AgentServer managed = Samples.managed("m");
        managed.getSpec().getRedis().setCluster(new io.agentserver.operator.api.RedisClusterSpec(List.of("r:6379")));
        AgentServer both = Samples.external("e");
        both.getSpec().getRedis().setCluster(new io.agentserver.operator.api.RedisClusterSpec(List.of("r:6379", "bad node")));

        assertThat(io.agentserver.operator.model.SpecCheck.problems(managed.getSpec()))
                .containsExactly("spec.redis: a Redis Cluster (cluster.nodes) goes without managed and without url");
        assertThat(io.agentserver.operator.model.SpecCheck.problems(both.getSpec())).containsExactly(
                "spec.redis: a Redis Cluster (cluster.nodes) goes without managed and without url",
                "spec.redis.cluster.nodes: \"bad node\" is not host:port");
    }

    @Test
    void externalUrlsGoToTheConfigMap() {
        var data = new ServerEnvironment(Samples.external("ext")).configData();

        assertThat(data).containsEntry("DB_CONNECTION_URL", "jdbc:postgresql://db.infra:5432/agentserver")
                .doesNotContainKey("REDIS_URI");
    }

    @Test
    void rs256ReadsAPublicKeyAndJwksUrlIsPlainConfig() {
        AgentServer rs = Samples.minimal("rs");
        AuthSpec auth = new AuthSpec();
        auth.setAlgorithm(JwtAlgorithm.RS256);
        auth.setSecretRef(new SecretKeyRef("jwt-key", "public.pem"));
        rs.getSpec().setAuth(auth);
        AgentServer jwks = Samples.minimal("jwks");
        AuthSpec jwksAuth = new AuthSpec();
        jwksAuth.setJwksUrl("https://issuer.example/.well-known/jwks.json");
        jwks.getSpec().setAuth(jwksAuth);

        assertThat(find(new ServerEnvironment(rs).containerEnv(), "AUTH_JWT_PUBLIC_KEY").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("public.pem");
        assertThat(new ServerEnvironment(rs).configData()).containsEntry("AUTH_JWT_ALGORITHM", "RS256");
        assertThat(new ServerEnvironment(jwks).containerEnv()).isEmpty();
        assertThat(new ServerEnvironment(jwks).configData())
                .containsEntry("AUTH_JWT_JWKS_URL", "https://issuer.example/.well-known/jwks.json");
    }

    @Test
    void listsTheUserSecretsItReadsAndNotTheGeneratedOnes() {
        assertThat(new ServerEnvironment(Samples.external("ext")).userSecrets())
                .extracting(SecretReference::name, SecretReference::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("db-credentials", "username"),
                        org.assertj.core.groups.Tuple.tuple("db-credentials", "password"),
                        org.assertj.core.groups.Tuple.tuple("redis-auth", "password"));
        assertThat(new ServerEnvironment(Samples.managed("demo")).userSecrets()).isEmpty();
    }

    @Test
    void configKeysBecomeTheEnvNamesHelidonMapsBack() {
        assertThat(EnvName.of("server.idle-connection-timeout")).isEqualTo("SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT");
        assertThat(EnvName.of("agent.max-runs")).isEqualTo("AGENT_MAX_dash_RUNS");
        assertThat(EnvName.of("XAGENT_GUEST_ENABLED")).isEqualTo("XAGENT_GUEST_ENABLED");
    }

    private static EnvVar find(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + env));
    }
}
