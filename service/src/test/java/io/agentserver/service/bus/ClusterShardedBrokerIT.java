package io.agentserver.service.bus;

import java.time.Duration;

import io.agentserver.service.testing.RedisCluster;
import org.junit.jupiter.api.BeforeAll;

/** The sharded contract on a real 6-node Redis Cluster. */
class ClusterShardedBrokerIT extends ShardedBrokerContract {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.shared();
    }

    @Override
    protected EventBroker createBroker() {
        return new RedisEventBroker(BrokerSettings.cluster(cluster.seeds()).withCommandTimeout(Duration.ofSeconds(2)));
    }
}
