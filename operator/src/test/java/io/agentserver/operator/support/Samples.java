package io.agentserver.operator.support;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.CredentialsSecretRef;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** AgentServers the tests start from. */
public final class Samples {

    public static final String IMAGE = "ghcr.io/agent-server/agent-server:0.1.0";

    private Samples() {
    }

    /** Everything managed by the operator. */
    public static AgentServer managed(String name) {
        AgentServerSpec spec = new AgentServerSpec();
        spec.setImage(IMAGE);
        spec.setReplicas(1);
        spec.setRedis(RedisSpec.managed());
        spec.setDatabase(DatabaseSpec.managed());
        return resource(name, spec);
    }

    /** External Redis with a password Secret, external PostgreSQL with a credentials Secret. */
    public static AgentServer external(String name) {
        AgentServerSpec spec = new AgentServerSpec();
        spec.setImage(IMAGE);
        spec.setReplicas(2);
        RedisSpec redis = RedisSpec.external("redis://redis.infra:6379/0");
        redis.setPasswordSecretRef(new SecretKeyRef("redis-auth", "password"));
        spec.setRedis(redis);
        DatabaseSpec database = DatabaseSpec.external("jdbc:postgresql://db.infra:5432/agentserver");
        CredentialsSecretRef credentials = new CredentialsSecretRef();
        credentials.setName("db-credentials");
        database.setCredentialsSecretRef(credentials);
        spec.setDatabase(database);
        return resource(name, spec);
    }

    /** Nothing but an image: in-process bus and embedded H2. */
    public static AgentServer minimal(String name) {
        AgentServerSpec spec = new AgentServerSpec();
        spec.setImage(IMAGE);
        return resource(name, spec);
    }

    public static AgentServer resource(String name, AgentServerSpec spec) {
        AgentServer resource = new AgentServer();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(MockCluster.NAMESPACE)
                .withGeneration(1L).withUid("uid-" + name).build());
        resource.setSpec(spec);
        return resource;
    }
}
