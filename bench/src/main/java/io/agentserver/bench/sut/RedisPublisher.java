package io.agentserver.bench.sut;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Publishes each event with one {@code PUBLISH}, pipelined on one Lettuce connection, in the given format. */
final class RedisPublisher implements Publisher {

    /** How an event becomes a channel and a message. */
    enum Format {
        /** AutoGPT's executor: {@code PUBLISH execution_event/{user}/{graph}/{exec} {"payload":<event>}}. */
        AUTOGPT_EXECUTOR {
            @Override
            String channel(String user, String graph, String exec) {
                return "execution_event/" + user + "/" + graph + "/" + exec;
            }

            @Override
            String message(String event) {
                return "{\"payload\":" + event + "}";
            }
        },
        /** The Node gateway's exact channel per id: {@code PUBLISH exec/{exec} <event>}, the bytes nchan gets. */
        CHANNEL_PER_EXECUTION {
            @Override
            String channel(String user, String graph, String exec) {
                return NodeGateway.CHANNEL_PREFIX + exec;
            }

            @Override
            String message(String event) {
                return event;
            }
        };

        abstract String channel(String user, String graph, String exec);

        abstract String message(String event);
    }

    private final Format format;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final AtomicLong failures = new AtomicLong();

    RedisPublisher(String uri, Format format) {
        this.format = format;
        client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder().maintNotificationsConfig(MaintNotificationsConfig.disabled()).build());
        connection = client.connect();
    }

    @Override
    public void publish(String user, String graph, String exec, String event) {
        connection.async().publish(format.channel(user, graph, exec), format.message(event))
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
