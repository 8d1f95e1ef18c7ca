package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/**
 * An external Redis Cluster: the seed nodes the server connects to first (it learns the rest of the
 * cluster from them). Its password, if any, is {@code spec.redis.passwordSecretRef}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class RedisClusterSpec {

    public static final String NODE_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$";

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Seed nodes as host:port, e.g. [redis-0.redis.infra:6379, redis-1.redis.infra:6379]")
    private List<@io.fabric8.generator.annotation.Pattern(NODE_PATTERN) String> nodes;

    public RedisClusterSpec() {
    }

    public RedisClusterSpec(List<String> nodes) {
        this.nodes = nodes;
    }

    public List<String> getNodes() { return nodes; }
    public void setNodes(List<String> nodes) { this.nodes = nodes; }

    public List<String> nodesOrEmpty() { return nodes == null ? List.of() : nodes; }
}
