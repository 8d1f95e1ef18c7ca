package io.agentserver.bench.sut;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AutoGPT's executor format: {@code PUBLISH execution_event/{user}/{graph}/{exec} {"payload":<event>}},
 * pipelined on one Lettuce connection.
 */
final class RedisPublisher implements Publisher {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final AtomicLong failures = new AtomicLong();

    RedisPublisher(String uri) {
        client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder().maintNotificationsConfig(MaintNotificationsConfig.disabled()).build());
        connection = client.connect();
    }

    @Override
    public void publish(String user, String graph, String exec, String event) {
        connection.async().publish("execution_event/" + user + "/" + graph + "/" + exec, "{\"payload\":" + event + "}")
                .exceptionally(failure -> {
                    failures.incrementAndGet();
                    return 0L;
                });
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
