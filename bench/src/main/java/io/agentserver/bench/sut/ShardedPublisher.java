package io.agentserver.bench.sut;

import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes each event to a Redis Cluster through Lettuce's cluster client, pipelined, the way AutoGPT's executor
 * does since 2026 ({@code sharded}): {@code SPUBLISH} of {@code {"payload":<event>}} to
 * {@code execution_event/{user/graph}/exec/exec} and then to {@code execution_event/{user/graph}/all}, each to the
 * master of its slot; or as the classic executor does ({@code !sharded}): one {@code PUBLISH
 * execution_event/user/graph/exec}, which the cluster copies to every node.
 */
final class ShardedPublisher implements Publisher {

    private final boolean sharded;
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final AtomicLong failures = new AtomicLong();

    ShardedPublisher(String seeds, boolean sharded) {
        this.sharded = sharded;
        client = RedisClusterClient.create(Arrays.stream(seeds.split(",")).map(RedisURI::create).toList());
        ClusterClientOptions.Builder options = ClusterClientOptions.builder();
        options.maintNotificationsConfig(MaintNotificationsConfig.disabled());
        client.setOptions(options.build());
        connection = client.connect();
    }

    @Override
    public void publish(String user, String graph, String exec, String event) {
        String message = "{\"payload\":" + event + "}";
        if (!sharded) {
            connection.async().publish("execution_event/" + user + "/" + graph + "/" + exec, message)
                    .exceptionally(this::failed);
            return;
        }
        String tag = "execution_event/{" + user + "/" + graph + "}";
        connection.async().spublish(tag + "/exec/" + exec, message).exceptionally(this::failed);
        connection.async().spublish(tag + "/all", message).exceptionally(this::failed);
    }

    private Long failed(Throwable failure) {
        failures.incrementAndGet();
        return 0L;
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
