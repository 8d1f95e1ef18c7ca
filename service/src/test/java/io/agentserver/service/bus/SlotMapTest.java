package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

/** Reading a slot's master and serving nodes from a node's {@code CLUSTER NODES}, and {@code MOVED} errors. */
class SlotMapTest {

    /** As Redis 7.0.15 printed it on node 7104 of a 6-node test cluster, right after a failover of 7102's shard. */
    private static final String CLUSTER_NODES = """
            2d81157f4775d9ba99a2116b65eb1e73df555d3d :7104@17104 myself,master - 0 1796412120457 7 connected 10923-16383
            828b9df4eb019de21861599fa2ee95ffa821873e 127.0.0.1:7102@17102 slave 2d81157f4775d9ba99a2116b65eb1e73df555d3d 0 1796412121059 7 connected
            6664d5d5a9791eebaa6996373f2e4e61a32137fb 127.0.0.1:7100@17100 master - 0 1796412120000 1 connected 0-5460
            329c94c1a4a071e8b2e3e5f5a22e5cc568f1c1ea 127.0.0.1:7105@17105 slave 6664d5d5a9791eebaa6996373f2e4e61a32137fb 0 1796412121059 1 connected
            e5bedc460a962038b4d933a4171cff5c089e18e2 127.0.0.1:7103@17103 slave,fail ea6ff52293a00fc10085250f7b2c8fe0746bc23a 0 1796412120457 2 connected
            ea6ff52293a00fc10085250f7b2c8fe0746bc23a 127.0.0.1:7101@17101 master - 0 1796412121059 2 connected 5461-10922
            """;

    @Test
    void aNodeThatDoesNotKnowItsOwnAddressIsNamedByWhereItWasAsked() {
        SlotMap map = SlotMap.ofNode(CLUSTER_NODES, "127.0.0.1", 7104);
        int slot = SlotHash.getSlot("execution_event/{u1/g1}/all");

        assertThat(slot).isEqualTo(15028);
        assertThat(map.master(slot)).map(SlotMap::address).contains("127.0.0.1:7104");
        assertThat(map.serving(map.master(slot).orElseThrow(), true)).extracting(SlotMap::address)
                .containsExactly("127.0.0.1:7104", "127.0.0.1:7102");
        assertThat(map.serving(map.master(slot).orElseThrow(), false)).extracting(SlotMap::address)
                .containsExactly("127.0.0.1:7104");
    }

    @Test
    void aFailingReplicaServesNothingAndIsNotReachable() {
        SlotMap map = SlotMap.ofNode(CLUSTER_NODES, "127.0.0.1", 7104);

        assertThat(map.serving(map.master(6000).orElseThrow(), true)).extracting(SlotMap::address)
                .containsExactly("127.0.0.1:7101");
        assertThat(map.reachable()).extracting(SlotMap::address).hasSize(5).doesNotContain("127.0.0.1:7103");
    }

    @Test
    void movedNamesTheNodeToAskInsteadWrappedOrNot() {
        RedisCommandExecutionException moved = new RedisCommandExecutionException("MOVED 15028 127.0.0.1:7104");

        assertThat(SlotMap.movedTo(moved)).hasValueSatisfying(hostPort ->
                assertThat(hostPort).containsExactly("127.0.0.1", "7104"));
        assertThat(SlotMap.movedTo(new CompletionException(moved))).isPresent();
        assertThat(SlotMap.movedTo(new RedisCommandExecutionException("ERR unknown command"))).isEmpty();
        assertThat(SlotMap.movedTo(new RedisCommandExecutionException("MOVED 1"))).isEmpty();
    }
}
