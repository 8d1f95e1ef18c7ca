package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

import java.util.List;

/**
 * NetworkPolicies in front of the managed Redis and PostgreSQL: only the agent server pods (and
 * the peers listed here, e.g. AutoGPT executors that publish to Redis) may connect.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class NetworkPolicySpec {

    @Default("true")
    @JsonPropertyDescription("Create a NetworkPolicy for each managed backend (the cluster's network plugin must enforce them)")
    private Boolean enabled;

    @JsonPropertyDescription("Other clients allowed to reach the managed Redis, e.g. AutoGPT executors")
    private List<NetworkPolicyPeer> redisClients;

    @JsonPropertyDescription("Other clients allowed to reach the managed PostgreSQL, e.g. a backup job")
    private List<NetworkPolicyPeer> databaseClients;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public List<NetworkPolicyPeer> getRedisClients() { return redisClients; }
    public void setRedisClients(List<NetworkPolicyPeer> redisClients) { this.redisClients = redisClients; }
    public List<NetworkPolicyPeer> getDatabaseClients() { return databaseClients; }
    public void setDatabaseClients(List<NetworkPolicyPeer> databaseClients) { this.databaseClients = databaseClients; }

    public boolean enabledOrDefault() { return enabled == null || enabled; }
}
