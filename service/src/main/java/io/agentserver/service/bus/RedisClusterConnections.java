package io.agentserver.service.bus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * The connections of one {@link RedisEventBroker} on a Redis Cluster, through Lettuce's cluster client: it reads the
 * slot map from the seed nodes, reads it again every {@code redis.topology-refresh} and at once on a {@code MOVED}
 * or {@code ASK} redirect or a node that keeps failing, and sends every publish to the master of its channel's slot
 * (following redirects). Three parts:
 * <ul>
 *   <li>publish: a cluster connection that rejects commands while its node is unreachable (the retrying broker in
 *       front queues them until the slot has a reachable master again);</li>
 *   <li>patterns: a cluster pub/sub connection for {@code PSUBSCRIBE} (a classic {@code PUBLISH} in a cluster is
 *       copied to every node, so one node is enough); it queues commands while reconnecting, as on one Redis;</li>
 *   <li>exact and sharded channels: the {@link ShardedSubscriber}, one pub/sub connection per node that holds
 *       subscriptions.</li>
 * </ul>
 */
final class RedisClusterConnections implements RedisTransport {

    static final String PUBLISHER_NAME = "agent-server-bus-pub";
    static final String PATTERN_NAME = "agent-server-bus-psub";

    private final String address;
    private final ClientResources resources;
    private final RedisClusterClient publisherClient;
    private final RedisClusterClient patternClient;
    private final StatefulRedisClusterConnection<String, String> publisher;
    private final StatefulRedisClusterPubSubConnection<String, String> patterns;
    private final ShardedSubscriber shards;

    /**
     * @throws IllegalArgumentException if no seed is given or one cannot be parsed
     * @throws IllegalStateException    if no seed node answers now
     */
    RedisClusterConnections(BrokerSettings settings, BrokerCounters counters) {
        List<RedisURI> publisherSeeds = RedisUris.seeds(settings, PUBLISHER_NAME);
        this.address = "cluster " + RedisUris.addresses(publisherSeeds);
        this.resources = RedisConnections.resources(settings);
        this.publisherClient = RedisClusterClient.create(resources, publisherSeeds);
        this.publisherClient.setOptions(options(settings, false));
        this.patternClient = RedisClusterClient.create(resources, RedisUris.seeds(settings, PATTERN_NAME));
        this.patternClient.setOptions(options(settings, true));
        StatefulRedisClusterConnection<String, String> pub = null;
        StatefulRedisClusterPubSubConnection<String, String> sub = null;
        try {
            pub = publisherClient.connect(StringCodec.UTF8);
            sub = patternClient.connectPubSub(StringCodec.UTF8);
            this.shards = new ShardedSubscriber(publisherClient, pub, resources, publisherSeeds.getFirst(), settings,
                    counters);
        } catch (RuntimeException e) {
            if (pub != null) {
                pub.close();
            }
            if (sub != null) {
                sub.close();
            }
            shutdownClients();
            throw new IllegalStateException("Cannot connect to the Redis Cluster at " + address, e);
        }
        this.publisher = pub;
        this.patterns = sub;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public StatefulRedisClusterPubSubConnection<String, String> subscriber() {
        return patterns;
    }

    @Override
    public StatefulRedisClusterConnection<String, String> publisher() {
        return publisher;
    }

    @Override
    public RedisClusterAsyncCommands<String, String> publishCommands() {
        return publisher.async();
    }

    @Override
    public Optional<ShardedSubscriber> shards() {
        return Optional.of(shards);
    }

    @Override
    public void close() {
        RedisConnections.quietly(shards::close);
        RedisConnections.quietly(patterns::close);
        RedisConnections.quietly(publisher::close);
        shutdownClients();
    }

    private void shutdownClients() {
        RedisConnections.shutdown(resources, publisherClient, patternClient);
    }

    /**
     * @param subscriber queue commands while reconnecting and never time them out (as a subscription connection
     *                   on one Redis), else reject them while disconnected and time them out
     */
    private static ClusterClientOptions options(BrokerSettings settings, boolean subscriber) {
        ClusterClientOptions.Builder builder = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(settings.topologyRefresh())
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .build())
                .validateClusterNodeMembership(false);
        RedisConnections.baseOptions(builder, settings);
        return (subscriber ? RedisConnections.asSubscriber(builder) : RedisConnections.asPublisher(builder, settings))
                .build();
    }
}
