package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
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

    /**
     * As Redis 7.0.15 printed them on a 6-node test cluster a moment after {@code CLUSTER FAILOVER} on 7303: node 7300,
     * and even the new master 7303, still show the demoted 7302 as a master without slots; 7302 itself already
     * replicates 7303 (and serves its slots as a replica).
     */
    private static final String SEEN_BY_7300 = """
            22f2b2112bbc985d6d1c54f78c7364b09bdac1ec 127.0.0.1:7300@17300 myself,master - 0 1796422264000 1 connected 0-5460
            8fb95ef90d6cf1b778ac82167dc1e09c448a1931 127.0.0.1:7301@17301 master - 0 1796422265446 2 connected 5461-10922
            aaebed4a826b71914d77825fb197f68d98eb18a4 127.0.0.1:7303@17303 master - 0 1796422265446 7 connected 10923-16383
            37197419b19da270cf5afb800ee1a4388377d079 127.0.0.1:7305@17305 slave 8fb95ef90d6cf1b778ac82167dc1e09c448a1931 0 1796422265044 2 connected
            e06ca1371023cf64420349d31991c89ba6bb13bb 127.0.0.1:7302@17302 master - 0 1796422265446 3 connected
            6694d0cd959ddc90ad3735e45c5752a023d02e99 127.0.0.1:7304@17304 slave 22f2b2112bbc985d6d1c54f78c7364b09bdac1ec 0 1796422265044 1 connected
            """;
    private static final String SEEN_BY_7302 = """
            37197419b19da270cf5afb800ee1a4388377d079 127.0.0.1:7305@17305 slave 8fb95ef90d6cf1b778ac82167dc1e09c448a1931 0 1796422265115 2 connected
            aaebed4a826b71914d77825fb197f68d98eb18a4 127.0.0.1:7303@17303 master - 0 1796422265717 7 connected 10923-16383
            8fb95ef90d6cf1b778ac82167dc1e09c448a1931 127.0.0.1:7301@17301 master - 0 1796422265516 2 connected 5461-10922
            e06ca1371023cf64420349d31991c89ba6bb13bb 127.0.0.1:7302@17302 myself,slave aaebed4a826b71914d77825fb197f68d98eb18a4 0 1796422265000 7 connected
            22f2b2112bbc985d6d1c54f78c7364b09bdac1ec 127.0.0.1:7300@17300 master - 0 1796422265516 1 connected 0-5460
            6694d0cd959ddc90ad3735e45c5752a023d02e99 127.0.0.1:7304@17304 slave 22f2b2112bbc985d6d1c54f78c7364b09bdac1ec 0 1796422265115 1 connected
            """;

    @Test
    void aMasterDemotedMomentsAgoServesItsNewMastersSlotByItsOwnAccountBeforeTheMapKnowsIt() {
        SlotMap map = SlotMap.ofNode(SEEN_BY_7300, "127.0.0.1", 7300);
        RedisClusterNode master = map.master(15028).orElseThrow();
        List<String> asked = new ArrayList<>();

        assertThat(map.serving(master, true)).extracting(SlotMap::address)
                .as("the map alone").containsExactly("127.0.0.1:7303");
        assertThat(map.serving(master, true, node -> {
            asked.add(SlotMap.address(node));
            return SlotMap.address(node).equals("127.0.0.1:7302")
                    ? Optional.of(SlotMap.ofNode(SEEN_BY_7302, "127.0.0.1", 7302)) : Optional.empty();
        })).extracting(SlotMap::address).containsExactly("127.0.0.1:7303", "127.0.0.1:7302");
        assertThat(asked).as("only a master without slots is asked").containsExactly("127.0.0.1:7302");
        assertThat(map.serving(master, false, node -> Optional.of(SlotMap.ofNode(SEEN_BY_7302, "127.0.0.1", 7302))))
                .extracting(SlotMap::address).as("no standbys wanted").containsExactly("127.0.0.1:7303");
    }

    @Test
    void aMasterWithoutSlotsThatCannotSayOrReplicatesAnotherMasterServesNothingHere() {
        SlotMap map = SlotMap.ofNode(SEEN_BY_7300, "127.0.0.1", 7300);

        assertThat(map.serving(map.master(15028).orElseThrow(), true, node -> Optional.empty()))
                .extracting(SlotMap::address).containsExactly("127.0.0.1:7303");
        assertThat(map.serving(map.master(6000).orElseThrow(), true,
                node -> Optional.of(SlotMap.ofNode(SEEN_BY_7302, "127.0.0.1", 7302))))
                .extracting(SlotMap::address).containsExactly("127.0.0.1:7301", "127.0.0.1:7305");
    }

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
