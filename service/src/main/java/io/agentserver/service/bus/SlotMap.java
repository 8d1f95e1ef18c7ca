package io.agentserver.service.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * What a Redis Cluster's slot map says about one slot, for the {@link ShardedSubscriber}: its master and the nodes
 * that serve its channels (the master and its healthy replicas), read from Lettuce's {@link Partitions}, either
 * the cluster client's or one node's own {@code CLUSTER NODES}. Pure.
 */
record SlotMap(Partitions partitions) {

    /** The master of {@code slot}, when the map names one with an address. */
    Optional<RedisClusterNode> master(int slot) {
        RedisClusterNode master = partitions.getMasterBySlot(slot);
        return master == null || !addressed(master) ? Optional.empty() : Optional.of(master);
    }

    /** The master of {@code slot} first, then, with {@code replicas}, its replicas that are not failing. */
    List<RedisClusterNode> serving(RedisClusterNode master, boolean replicas) {
        List<RedisClusterNode> serving = new ArrayList<>();
        serving.add(master);
        if (replicas) {
            for (RedisClusterNode node : partitions) {
                if (master.getNodeId().equals(node.getSlaveOf()) && addressed(node)
                        && !node.is(RedisClusterNode.NodeFlag.FAIL) && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.HANDSHAKE)) {
                    serving.add(node);
                }
            }
        }
        return serving;
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

    private static boolean addressed(RedisClusterNode node) {
        return node.getUri() != null && node.getUri().getHost() != null && !node.getUri().getHost().isEmpty();
    }
}
