package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sharded contract in memory: sharded channels are a namespace of their own, as in Redis. */
class InMemoryShardedTest extends ShardedBrokerContract {

    @Override
    protected EventBroker createBroker() {
        return new InMemoryEventBroker();
    }

    @Test
    void aClassicPublishNeverReachesAShardedListenerNorTheOtherWayRound() throws InterruptedException {
        RecordingListener sharded = new RecordingListener();
        RecordingListener exact = new RecordingListener();
        broker.subscribeSharded(prefix + "c", sharded);
        broker.subscribe(prefix + "c", exact);

        broker.publish(prefix + "c", "classic");
        broker.publishSharded(prefix + "c", "sharded");

        assertThat(sharded.drain()).extracting(RecordingListener.Received::message).containsExactly("sharded");
        assertThat(exact.drain()).extracting(RecordingListener.Received::message).containsExactly("classic");
    }
}
