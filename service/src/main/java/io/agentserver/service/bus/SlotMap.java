package io.agentserver.service.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * What a Redis Cluster's slot map says about one slot, for the {@link ShardedSubscriber}: its master and the nodes
 * that serve its channels (the master and its healthy replicas), read from Lettuce's {@link Partitions}, either
 * the cluster client's or one node's own {@code CLUSTER NODES}. Pure.
 *
 * <p>A map is one node's view, and views lag: right after a failover only the demoted master knows that it replicates
 * the new master now; the other nodes show it as a master without slots until gossip reaches them (a second or so,
 * longer on a busy host), and a client's map is one of their views, read again every {@code redis.topology-refresh}.
 * Redis acts on each node's own account: the demoted node takes {@code SSUBSCRIBE} and {@code SPUBLISH} for its
 * master's slots at once. So {@link #serving(RedisClusterNode, boolean, Function)} asks such nodes.
 */
record SlotMap(Partitions partitions) {

    /** The master of {@code slot}, when the map names one with an address. */
    Optional<RedisClusterNode> master(int slot) {
        RedisClusterNode master = partitions.getMasterBySlot(slot);
        return master == null || !addressed(master) ? Optional.empty() : Optional.of(master);
    }

    /** The master of {@code slot} first, then, with {@code replicas}, its replicas that are not failing. */
    List<RedisClusterNode> serving(RedisClusterNode master, boolean replicas) {
        return serving(master, replicas, node -> Optional.empty());
    }

    /**
     * The master of {@code slot} first, then, with {@code replicas}, the nodes that replicate it and are not failing:
     * those this map names, and those it shows as masters without slots that say of themselves ({@code ownView}: the
     * node's own {@code CLUSTER NODES}, empty if it cannot say) that they replicate it.
     */
    List<RedisClusterNode> serving(RedisClusterNode master, boolean replicas,
                                   Function<RedisClusterNode, Optional<SlotMap>> ownView) {
        List<RedisClusterNode> serving = new ArrayList<>();
        serving.add(master);
        if (replicas) {
            for (RedisClusterNode node : partitions) {
                if (master.getNodeId().equals(node.getNodeId()) || !addressed(node) || failing(node)) {
                    continue;
                }
                if (master.getNodeId().equals(node.getSlaveOf())
                        || slotlessMaster(node) && ownView.apply(node).flatMap(SlotMap::myself)
                                .filter(self -> master.getNodeId().equals(self.getSlaveOf())).isPresent()) {
                    serving.add(node);
                }
            }
        }
        return serving;
    }

    /** The node whose own view this is ({@code myself} in its {@code CLUSTER NODES}). */
    Optional<RedisClusterNode> myself() {
        return partitions.stream().filter(node -> node.is(RedisClusterNode.NodeFlag.MYSELF)).findFirst();
    }

    /** Every node with an address that is not known to have failed. */
    List<RedisClusterNode> reachable() {
        return partitions.stream().filter(SlotMap::addressed)
                .filter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)).toList();
    }

    /**
     * One node's own view, its {@code CLUSTER NODES} text; the node names itself without an address until it learned
     * it, so {@code host}/{@code port} (where it was asked) fill that in.
     */
    static SlotMap ofNode(String clusterNodes, String host, int port) {
        Partitions partitions = ClusterPartitionParser.parse(clusterNodes);
        for (RedisClusterNode node : partitions) {
            if (node.is(RedisClusterNode.NodeFlag.MYSELF) && !addressed(node)) {
                node.setUri(RedisURI.create(host, port));
            }
        }
        partitions.updateCache();
        return new SlotMap(partitions);
    }

    /** host:port of a node. */
    static String address(RedisClusterNode node) {
        return node.getUri().getHost() + ":" + node.getUri().getPort();
    }

    /** host and port of a {@code MOVED <slot> <host>:<port>} error. */
    static Optional<String[]> movedTo(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        if (message == null || !message.startsWith("MOVED ")) {
            return Optional.empty();
        }
        String[] parts = message.split(" ");
        if (parts.length < 3) {
            return Optional.empty();
        }
        int colon = parts[2].lastIndexOf(':');
        if (colon <= 0 || colon == parts[2].length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[]{parts[2].substring(0, colon), parts[2].substring(colon + 1)});
    }

    private static boolean failing(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.FAIL) || node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                || node.is(RedisClusterNode.NodeFlag.HANDSHAKE);
    }

    /** How a master that a failover just demoted looks to the nodes that have not heard of it yet. */
    private static boolean slotlessMaster(RedisClusterNode node) {
        return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.hasNoSlots();
    }

    private static boolean addressed(RedisClusterNode node) {
        return node.getUri() != null && node.getUri().getHost() != null && !node.getUri().getHost().isEmpty();
    }
}
