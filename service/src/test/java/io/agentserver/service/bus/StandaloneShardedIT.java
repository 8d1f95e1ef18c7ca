package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.agentserver.service.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sharded contract on one Redis 7 (not a cluster): SPUBLISH/SSUBSCRIBE exist there too. */
class StandaloneShardedIT extends ShardedBrokerContract {

    private static RedisCluster.Standalone redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisCluster.standalone();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected EventBroker createBroker() {
        return new RedisEventBroker(BrokerSettings.redis(redis.uri()).withCommandTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void oneConnectionCarriesShardedExactAndPatternSubscriptionsAndTheLastListenerUnsubscribes()
            throws InterruptedException {
        Subscription sharded = broker.subscribeSharded(prefix + "s", new RecordingListener());
        broker.subscribe(prefix + "c", new RecordingListener());
        broker.subscribePattern(prefix + "p*", new RecordingListener());

        Eventually.assertWithin(WAIT, () -> assertThat(redis.commands().clientList())
                .containsOnlyOnce("name=agent-server-bus-sub")
                .contains("sub=1 psub=1 ssub=1"));
        assertThat(redis.commands().pubsubShardChannels(prefix + "*")).containsExactly(prefix + "s");

        sharded.close();
        Eventually.assertWithin(WAIT, () -> assertThat(redis.commands().pubsubShardChannels(prefix + "*")).isEmpty());
    }
}
