package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.CredentialsSecretRef;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.api.JwtAlgorithm;
import io.agentserver.operator.api.RedisSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of the agent server container, derived from a spec. Plain settings go into the
 * ConfigMap (read with {@code envFrom}); values from Secrets and the Redis settings are container
 * {@code env} entries. The user's {@code spec.env} is merged by name: an entry named like one of the
 * operator's replaces it in place, the others follow. A container's env is a list keyed by name, and
 * an API server refuses one with a name twice ("duplicate entries for key"), server-side apply most of all.
 */
public final class ServerEnvironment {

    private static final String REDIS_PASSWORD = "REDIS_PASSWORD";

    private final AgentServer owner;
    private final AgentServerSpec spec;

    public ServerEnvironment(AgentServer owner) {
        this.owner = owner;
        this.spec = owner.getSpec();
    }

    /** ConfigMap data: the user's config passthrough, then the operator's settings on top. */
    public Map<String, String> configData() {
        Map<String, String> data = new LinkedHashMap<>();
        spec.configOrEmpty().forEach((key, value) -> data.put(EnvName.of(key), value));
        data.put("SERVER_HOST", "0.0.0.0");
        data.put("SERVER_PORT", String.valueOf(ResourceNames.CONTAINER_PORT));
        AuthSpec auth = spec.authOrDefault();
        data.put("AUTH_ENABLED", String.valueOf(auth.enabledOrDefault()));
        data.put("AUTH_JWT_ALGORITHM", auth.algorithmOrDefault().name());
        data.put("AUTH_JWT_AUDIENCE", auth.audienceOrDefault());
        if (auth.getJwksUrl() != null) {
            data.put("AUTH_JWT_JWKS_URL", auth.getJwksUrl());
        }
        data.put("XAGENT_GUEST_ENABLED", String.valueOf(auth.guestEnabledOrDefault()));
        data.put(EnvName.of("shutdown.drain-timeout"), "PT" + spec.shutdownOrDefault().drainTimeoutSecondsOrDefault() + "S");
        if (spec.managedDatabase()) {
            data.put("DB_CONNECTION_URL", ResourceNames.managedJdbcUrl(owner));
        } else if (spec.cloudNativePg()) {
            data.put("DB_CONNECTION_URL", ResourceNames.cloudNativePgJdbcUrl(owner));
        } else if (spec.getDatabase() != null && spec.getDatabase().getUrl() != null) {
            data.put("DB_CONNECTION_URL", spec.getDatabase().getUrl());
        }
        data.putAll(agents().configData());
        return data;
    }

    /**
     * Container env: Secret references, the Redis settings and the agents' keys, with the user's
     * {@code spec.env} merged in by name (the user's entry wins). Each name appears once.
     */
    public List<EnvVar> containerEnv() {
        List<EnvVar> operators = new ArrayList<>();
        authEnv(operators);
        databaseEnv(operators);
        redisEnv(operators);
        operators.addAll(agents().containerEnv());
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        operators.forEach(entry -> byName.put(entry.getName(), entry));
        if (spec.getEnv() != null) {
            spec.getEnv().forEach(entry -> byName.put(entry.getName(), entry));
        }
        return new ArrayList<>(byName.values());
    }

    /** The keys of user-provided Secrets the pods read; each must exist before anything is applied. */
    public List<SecretReference> userSecrets() {
        List<SecretReference> refs = new ArrayList<>();
        AuthSpec auth = spec.authOrDefault();
        if (auth.getSecretRef() != null) {
            refs.add(new SecretReference("spec.auth.secretRef",
                    auth.getSecretRef().getName(), auth.getSecretRef().getKey()));
        }
        DatabaseSpec database = spec.getDatabase();
        if (database != null && !spec.managedDatabase() && database.getCredentialsSecretRef() != null) {
            CredentialsSecretRef credentials = database.getCredentialsSecretRef();
            refs.add(new SecretReference("spec.database.credentialsSecretRef",
                    credentials.getName(), credentials.usernameKeyOrDefault()));
            refs.add(new SecretReference("spec.database.credentialsSecretRef",
                    credentials.getName(), credentials.passwordKeyOrDefault()));
        }
        RedisSpec redis = spec.getRedis();
        if (redis != null && !spec.managedRedis() && redis.getPasswordSecretRef() != null) {
            refs.add(new SecretReference("spec.redis.passwordSecretRef",
                    redis.getPasswordSecretRef().getName(), redis.getPasswordSecretRef().getKey()));
        }
        refs.addAll(agents().secretReferences());
        return refs;
    }

    private AgentEnvironment agents() {
        return new AgentEnvironment(spec.getAgents());
    }

    private void authEnv(List<EnvVar> env) {
        AuthSpec auth = spec.authOrDefault();
        if (auth.getSecretRef() != null) {
            String name = auth.algorithmOrDefault() == JwtAlgorithm.HS256 ? "AUTH_JWT_SECRET" : "AUTH_JWT_PUBLIC_KEY";
            env.add(fromSecret(name, auth.getSecretRef().getName(), auth.getSecretRef().getKey()));
        } else if (auth.usesGeneratedSecret()) {
            env.add(fromSecret("AUTH_JWT_SECRET", ResourceNames.credentials(owner), ResourceNames.JWT_SECRET_KEY));
        }
    }

    /** Credentials from the managed PostgreSQL's Secret, the {@code <cluster>-app} Secret CloudNativePG writes, or the user's. */
    private void databaseEnv(List<EnvVar> env) {
        if (spec.managedDatabase() || spec.cloudNativePg()) {
            String secret = spec.cloudNativePg() ? ResourceNames.cloudNativePgAppSecret(owner) : ResourceNames.postgres(owner);
            env.add(fromSecret("DB_CONNECTION_USERNAME", secret, "username"));
            env.add(fromSecret("DB_CONNECTION_PASSWORD", secret, "password"));
        } else if (spec.getDatabase() != null && spec.getDatabase().getCredentialsSecretRef() != null) {
            CredentialsSecretRef credentials = spec.getDatabase().getCredentialsSecretRef();
            env.add(fromSecret("DB_CONNECTION_USERNAME", credentials.getName(), credentials.usernameKeyOrDefault()));
            env.add(fromSecret("DB_CONNECTION_PASSWORD", credentials.getName(), credentials.passwordKeyOrDefault()));
        }
    }

    /**
     * Redis address in {@code REDIS_URI} (for a Redis Cluster {@code REDIS_MODE=cluster} and its seed nodes as
     * {@code redis://h1:p1,redis://h2:p2}), the AutoGPT bus scheme in {@code AUTOGPT_BUS}, credentials apart in {@code REDIS_USERNAME} and
     * {@code REDIS_PASSWORD} (the service's redis.username / redis.password): a password spliced
     * into the URI would need URL encoding, which base64 characters (/ + =) break.
     */
    private void redisEnv(List<EnvVar> env) {
        RedisSpec redis = spec.getRedis();
        if (spec.managedRedis()) {
            env.add(fromSecret(REDIS_PASSWORD, ResourceNames.credentials(owner), ResourceNames.REDIS_PASSWORD_KEY));
            env.add(plain("REDIS_URI", "redis://" + ResourceNames.redis(owner) + ":" + ResourceNames.REDIS_PORT + "/0"));
        } else if (redis != null && (redis.getUrl() != null || redis.getCluster() != null)) {
            if (redis.getCluster() != null) {
                env.add(plain("REDIS_MODE", "cluster"));
                env.add(plain("REDIS_URI", redis.getCluster().nodesOrEmpty().stream().map(node -> "redis://" + node)
                        .collect(java.util.stream.Collectors.joining(","))));
            } else {
                env.add(plain("REDIS_URI", redis.getUrl()));
            }
            if (redis.getUsername() != null) {
                env.add(plain("REDIS_USERNAME", redis.getUsername()));
            }
            if (redis.getPasswordSecretRef() != null) {
                env.add(fromSecret(REDIS_PASSWORD, redis.getPasswordSecretRef().getName(),
                        redis.getPasswordSecretRef().getKey()));
            }
        }
        if (redis != null) {
            env.add(plain("AUTOGPT_BUS", redis.autogptBusOrDefault()));
        }
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
