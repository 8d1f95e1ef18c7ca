package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.DatabaseSpec;
import io.agentserver.operator.api.JwtAlgorithm;
import io.agentserver.operator.api.RedisClusterSpec;
import io.agentserver.operator.api.RedisSpec;
import io.agentserver.operator.api.SecretKeyRef;

import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The spec rules the CRD schema states (required fields, ranges, CEL), checked again by the
 * operator: an API server without CEL, or an object written before a schema change, still gets a
 * clear message instead of a broken Deployment. Each problem names the field and the fix.
 */
public final class SpecCheck {

    private SpecCheck() {
    }

    /** The problems under the restricted pod template policy (the default). */
    public static List<String> problems(AgentServerSpec spec) {
        return problems(spec, PodTemplatePolicy.RESTRICTED);
    }

    public static List<String> problems(AgentServerSpec spec, PodTemplatePolicy podTemplatePolicy) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("spec is required");
            return problems;
        }
        if (spec.getImage() == null || spec.getImage().isBlank()) {
            problems.add("spec.image is required");
        }
        if (spec.replicasOrDefault() < 0) {
            problems.add("spec.replicas must be 0 or more");
        }
        if (spec.replicasOrDefault() > 1 && (spec.getRedis() == null || spec.getDatabase() == null)) {
            problems.add("spec.replicas > 1 needs spec.redis and spec.database (managed or external):"
                    + " replicas share events over Redis and state in PostgreSQL");
        }
        redis(spec.getRedis(), problems);
        database(spec.getDatabase(), problems);
        auth(spec.authOrDefault(), problems);
        AutoscalingCheck.check(spec, problems);
        envNames(spec.getEnv(), problems);
        AgentsCheck.check(spec.getAgents(), problems);
        PodTemplateCheck.check(spec.getPodTemplate(), problems);
        RestrictedPodTemplateCheck.check(spec.getPodTemplate(), podTemplatePolicy, problems);
        return problems;
    }

    /** The rules on metadata.name (see {@link AgentServer#MAX_NAME_LENGTH}). */
    public static List<String> nameProblems(String name) {
        List<String> problems = new ArrayList<>();
        if (name.length() > AgentServer.MAX_NAME_LENGTH) {
            problems.add("metadata.name is " + name.length() + " characters; at most " + AgentServer.MAX_NAME_LENGTH
                    + " fit the names and labels derived from it (e.g. " + name + "-postgres-<revision hash>)");
        }
        if (!name.matches(AgentServer.NAME_PATTERN)) {
            problems.add("metadata.name must be lower-case letters, digits and '-', starting with a letter (it names Services)");
        }
        return problems;
    }

    /** An HS256 shared secret must be at least {@value AuthSpec#MIN_HS256_SECRET_BYTES} bytes. */
    public static Optional<String> sharedSecretProblem(AuthSpec auth, byte[] secret) {
        if (auth.algorithmOrDefault() != JwtAlgorithm.HS256 || auth.getSecretRef() == null
                || secret.length >= AuthSpec.MIN_HS256_SECRET_BYTES) {
            return Optional.empty();
        }
        return Optional.of("Secret \"" + auth.getSecretRef().getName() + "\" key \"" + auth.getSecretRef().getKey()
                + "\" (spec.auth.secretRef) holds " + secret.length + " bytes; HS256 needs at least "
                + AuthSpec.MIN_HS256_SECRET_BYTES);
    }

    /** Every {@code spec.env} entry has a name, each name once: the container's env is a list keyed by name. */
    private static void envNames(List<EnvVar> env, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (EnvVar entry : env == null ? List.<EnvVar>of() : env) {
            if (entry.getName() == null || entry.getName().isBlank()) {
                problems.add("spec.env: every entry needs a name");
            } else if (!seen.add(entry.getName())) {
                problems.add("spec.env: " + entry.getName() + " appears more than once; give each name once"
                        + " (an entry named like one the operator sets replaces it)");
            }
        }
    }

    private static void redis(RedisSpec redis, List<String> problems) {
        if (redis == null) {
            return;
        }
        if (!redis.managedOrDefault() && redis.getUrl() == null && redis.getCluster() == null) {
            problems.add("spec.redis: set managed: true, or else give a url or a cluster");
        }
        if (redis.getCluster() != null && (redis.managedOrDefault() || redis.getUrl() != null)) {
            problems.add("spec.redis: a Redis Cluster (cluster.nodes) goes without managed and without url");
        }
        if (redis.getCluster() != null) {
            if (redis.getCluster().nodesOrEmpty().isEmpty()) {
                problems.add("spec.redis.cluster.nodes needs at least one host:port");
            }
            redis.getCluster().nodesOrEmpty().stream().filter(node -> node == null || !node.matches(RedisClusterSpec.NODE_PATTERN))
                    .forEach(node -> problems.add("spec.redis.cluster.nodes: \"" + node + "\" is not host:port"));
        }
        if (!"classic".equals(redis.autogptBusOrDefault()) && !"sharded".equals(redis.autogptBusOrDefault())) {
            problems.add("spec.redis.autogptBus must be classic or sharded");
        }
        if (redis.managedOrDefault() && redis.getUrl() != null) {
            problems.add("spec.redis: a managed Redis takes no url");
        }
        if (redis.getUrl() != null && !redis.getUrl().matches("^rediss?://.+")) {
            problems.add("spec.redis.url must start with redis:// or rediss://");
        }
        secretKey("spec.redis.passwordSecretRef", redis.getPasswordSecretRef(), problems);
    }

    private static void database(DatabaseSpec database, List<String> problems) {
        if (database == null) {
            return;
        }
        if (!database.managedOrDefault() && database.getUrl() == null && database.getCloudNativePG() == null) {
            problems.add("spec.database: set managed: true, cloudNativePG, or else give a url");
        }
        if (database.getCloudNativePG() != null && (database.managedOrDefault() || database.getUrl() != null
                || database.getCredentialsSecretRef() != null)) {
            problems.add("spec.database: cloudNativePG takes no managed, url or credentialsSecretRef");
        }
        if (database.getCloudNativePG() != null && database.getCloudNativePG().getBackup() != null) {
            var backup = database.getCloudNativePG().getBackup();
            if (backup.getDestinationPath() == null || !backup.getDestinationPath().startsWith("s3://")) {
                problems.add("spec.database.cloudNativePG.backup.destinationPath must be an s3:// url");
            }
            secretKey("spec.database.cloudNativePG.backup.accessKeyIdSecretRef", backup.getAccessKeyIdSecretRef(), problems);
            secretKey("spec.database.cloudNativePG.backup.secretAccessKeySecretRef", backup.getSecretAccessKeySecretRef(), problems);
            if (backup.getAccessKeyIdSecretRef() == null || backup.getSecretAccessKeySecretRef() == null) {
                problems.add("spec.database.cloudNativePG.backup needs accessKeyIdSecretRef and secretAccessKeySecretRef");
            }
        }
        if (database.managedOrDefault() && (database.getUrl() != null || database.getCredentialsSecretRef() != null)) {
            problems.add("spec.database: a managed PostgreSQL takes no url and no credentialsSecretRef");
        }
        if (database.getUrl() != null && !database.getUrl().startsWith("jdbc:postgresql://")) {
            problems.add("spec.database.url must be a PostgreSQL JDBC url (jdbc:postgresql://host:5432/db)");
        }
        if (database.getCredentialsSecretRef() != null && database.getCredentialsSecretRef().getName() == null) {
            problems.add("spec.database.credentialsSecretRef.name is required");
        }
    }

    private static void auth(AuthSpec auth, List<String> problems) {
        if (auth.getSecretRef() != null && auth.getJwksUrl() != null) {
            problems.add("spec.auth: give secretRef or jwksUrl, not both");
        }
        if (auth.getJwksUrl() != null && auth.algorithmOrDefault() == JwtAlgorithm.HS256) {
            problems.add("spec.auth: a jwksUrl serves public keys; set algorithm RS256 or ES256"
                    + " (HS256 needs a shared secret)");
        }
        if (auth.algorithmOrDefault() != JwtAlgorithm.HS256 && auth.usesGeneratedSecret()) {
            problems.add("spec.auth: " + auth.algorithmOrDefault() + " needs secretRef (a PEM public key) or jwksUrl");
        }
        secretKey("spec.auth.secretRef", auth.getSecretRef(), problems);
    }

    private static void secretKey(String field, SecretKeyRef ref, List<String> problems) {
        if (ref != null && (ref.getName() == null || ref.getKey() == null)) {
            problems.add(field + " needs both name and key");
        }
    }
}
