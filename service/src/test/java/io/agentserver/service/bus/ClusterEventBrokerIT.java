package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.agentserver.service.testing.RedisCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker contract on a real 6-node Redis Cluster: exact channels are sharded there, patterns are classic. */
class ClusterEventBrokerIT extends EventBrokerContract {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.shared();
    }

    @Override
    protected EventBroker createBroker() {
        return new RedisEventBroker(BrokerSettings.cluster(cluster.seeds()).withCommandTimeout(Duration.ofSeconds(2)));
    }

    /** On a cluster an exact channel is sharded: a classic PUBLISH reaches its pattern listeners only. */
    @Override
    @Test
    void exactAndPatternListenersOfTheSameChannelEachReceiveItOnce() throws InterruptedException {
        RecordingListener exact = new RecordingListener();
        RecordingListener pattern = new RecordingListener();
        broker.subscribe(prefix + "x/1", exact);
        broker.subscribePattern(prefix + "x/?", pattern);

        broker.publish(prefix + "x/1", "m1");
        broker.broadcast(prefix + "x/1", "m2");

        assertThat(exact.next(WAIT).message()).isEqualTo("m1");
        assertThat(pattern.next(WAIT).message()).isEqualTo("m2");
        assertThat(exact.drain()).isEmpty();
        assertThat(pattern.drain()).isEmpty();
    }

    @Test
    void anExactChannelIsSubscribedOnTheNodesOfItsSlotOnly() {
        String channel = prefix + "placed";
        broker.subscribe(channel, new RecordingListener());

        RedisCluster.Node master = cluster.masterOf(channel);
        RedisCluster.Node replica = cluster.replicasOf(master).getFirst();
        assertThat(cluster.shardSubscribers(channel)).allSatisfy((port, count) -> assertThat(count)
                .as("node %s", port)
                .isEqualTo(port == master.port() || port == replica.port() ? 1L : 0L));
    }

    @Test
    void aBrokerOfAnotherReplicaReceivesWhatThisOnePublishes() throws InterruptedException {
        try (EventBroker other = createBroker()) {
            RecordingListener there = new RecordingListener();
            other.subscribe(prefix + "interaction/42", there);

            assertThat(broker.publish(prefix + "interaction/42", "step 0")).isTrue();

            assertThat(there.next(WAIT).message()).isEqualTo("step 0");
        }
    }
}
