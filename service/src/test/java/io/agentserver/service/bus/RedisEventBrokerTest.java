package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The contract plus Redis specifics, against a real (embedded) Redis on a free port. */
class RedisEventBrokerTest extends EventBrokerContract {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    private static int port;
    private static RedisServer redis;
    private static RedisClient adminClient;

    private StatefulRedisConnection<String, String> adminConnection;
    private RedisCommands<String, String> admin;

    @BeforeAll
    static void startRedis() throws IOException {
        port = freePort();
        redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        adminClient = RedisClient.create(RedisURI.builder()
                .withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
        adminClient.setOptions(ClientOptions.builder()
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build());
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (adminClient != null) {
            adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void connectAdmin() {
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterEach
    void closeAdmin() {
        adminConnection.close();
    }

    @Override
    protected EventBroker createBroker() {
        return new RedisEventBroker(settings());
    }

    private static BrokerSettings settings() {
        return BrokerSettings.redis("redis://127.0.0.1:" + port).withCommandTimeout(COMMAND_TIMEOUT);
    }

    @Test
    void oneConnectionCarriesEverySubscription() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            broker.subscribe(prefix + "c" + i, new RecordingListener());
            broker.subscribe(prefix + "c" + i, new RecordingListener());
        }
        for (int i = 0; i < 5; i++) {
            broker.subscribePattern(prefix + "p" + i + "/*", new RecordingListener());
        }

        // connections of brokers closed by earlier tests may linger for a moment
        Eventually.assertWithin(WAIT, () -> {
            List<Map<String, String>> clients = clientList();
            assertThat(clients).filteredOn(client -> !client.get("sub").equals("0") || !client.get("psub").equals("0"))
                    .singleElement()
                    .satisfies(client -> assertThat(client)
                            .containsEntry("name", "agent-server-bus-sub")
                            .containsEntry("sub", "50")
                            .containsEntry("psub", "5"));
            assertThat(clients).filteredOn(client -> client.get("name").startsWith("agent-server-bus-"))
                    .extracting(client -> client.get("name"))
                    .containsExactlyInAnyOrder("agent-server-bus-sub", "agent-server-bus-pub");
            assertThat(admin.pubsubNumpat()).isEqualTo(5);
        });
        Map<String, Long> numsub = admin.pubsubNumsub(prefix + "c0", prefix + "c49");
        assertThat(numsub.values()).containsOnly(1L);
    }

    @Test
    void brokersOfTwoReplicasExchangeMessages() throws InterruptedException {
        try (EventBroker otherReplica = createBroker()) {
            RecordingListener here = new RecordingListener();
            RecordingListener there = new RecordingListener();
            broker.subscribe(prefix + "interaction/42", here);
            otherReplica.subscribePattern(prefix + "interaction/*", there);

            assertThat(broker.publish(prefix + "interaction/42", "step 0")).isTrue();
            assertThat(otherReplica.publish(prefix + "interaction/42", "step 1")).isTrue();

            assertThat(here.next(2, WAIT)).extracting(RecordingListener.Received::message)
                    .containsExactly("step 0", "step 1");
            assertThat(there.next(2, WAIT)).extracting(RecordingListener.Received::channel)
                    .containsOnly(prefix + "interaction/42");
        }
    }

    @Test
    void redisUnsubscribesOnlyAfterTheLastLocalListenerLeaves() throws InterruptedException {
        String channel = prefix + "refcounted";
        String pattern = prefix + "refcounted/*";
        Subscription first = broker.subscribe(channel, new RecordingListener());
        Subscription second = broker.subscribe(channel, new RecordingListener());
        Subscription firstPattern = broker.subscribePattern(pattern, new RecordingListener());
        Subscription secondPattern = broker.subscribePattern(pattern, new RecordingListener());
        assertThat(admin.pubsubChannels()).contains(channel);
        Eventually.assertWithin(WAIT, () -> assertThat(admin.pubsubNumpat()).isEqualTo(1));

        first.close();
        firstPattern.close();
        Thread.sleep(200);
        assertThat(admin.pubsubChannels()).contains(channel);
        assertThat(admin.pubsubNumpat()).isEqualTo(1);

        second.close();
        secondPattern.close();
        Eventually.assertWithin(WAIT, () -> {
            assertThat(admin.pubsubChannels()).doesNotContain(channel);
            assertThat(admin.pubsubNumpat()).isZero();
        });
    }

    @Test
    void receivesWhatAnAutoGptExecutorPublishes() throws InterruptedException {
        RecordingListener execution = new RecordingListener();
        RecordingListener allOfUser = new RecordingListener();
        RecordingListener notifications = new RecordingListener();
        broker.subscribe("execution_event/u/g/e", execution);
        broker.subscribePattern("execution_event/u/*", allOfUser);
        broker.subscribe("notification_event/u", notifications);
        String event = "{\"payload\":{\"event_type\":\"node_execution_update\",\"graph_exec_id\":\"e\"}}";
        String notification = "{\"user_id\":\"u\",\"payload\":{\"type\":\"AGENT_RUN\",\"event\":{}}}";

        assertThat(admin.publish("execution_event/u/g/e", event)).isEqualTo(2);
        admin.publish("notification_event/u", notification);

        assertThat(execution.next(WAIT)).isEqualTo(new RecordingListener.Received("execution_event/u/g/e", event));
        assertThat(allOfUser.next(WAIT)).isEqualTo(new RecordingListener.Received("execution_event/u/g/e", event));
        assertThat(notifications.next(WAIT).message()).isEqualTo(notification);
    }

    @Test
    void patternWithLiteralBracesMatchesShardedExecutionChannels() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        broker.subscribePattern("execution_event/{u/g}/exec/*", listener);

        admin.publish("execution_event/{u/g}/exec/e1", "{\"payload\":{}}");

        assertThat(listener.next(WAIT).channel()).isEqualTo("execution_event/{u/g}/exec/e1");
    }

    @Test
    void subscriptionsComeBackAfterRedisRestarts() throws Exception {
        java.util.concurrent.atomic.AtomicInteger resubscribed = new java.util.concurrent.atomic.AtomicInteger();
        RecordingListener exact = new RecordingListener() {
            @Override
            public void resubscribed() {
                resubscribed.incrementAndGet();
            }
        };
        RecordingListener pattern = new RecordingListener();
        broker.subscribe(prefix + "survivor", exact);
        broker.subscribePattern(prefix + "survivors/*", pattern);
        broker.publish(prefix + "survivor", "before");
        assertThat(exact.next(WAIT).message()).isEqualTo("before");

        redis.stop();
        try {
            Eventually.assertWithin(WAIT, () -> assertThat(broker.isHealthy()).isFalse());
            long started = System.nanoTime();
            assertThat(broker.publish(prefix + "survivor", "during outage")).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            redis.start();
        }

        Eventually.assertWithin(RECOVERY, () -> assertThat(broker.isHealthy()).isTrue());
        Eventually.assertWithin(RECOVERY, () -> {
            admin.publish(prefix + "survivor", "after");
            admin.publish(prefix + "survivors/1", "after");
            assertThat(exact.drain()).extracting(RecordingListener.Received::message).contains("after");
            assertThat(pattern.drain()).extracting(RecordingListener.Received::message).contains("after");
        });
        assertThat(broker.publish(prefix + "survivor", "published by the broker")).isTrue();
        assertThat(exact.awaitMessage("published by the broker", WAIT)).isNotNull();
        assertThat(broker.stats().reconnects()).isEqualTo(1);
        assertThat(broker.stats().publishFailures()).isEqualTo(1);
        assertThat(resubscribed.get()).as("listeners are told they may have missed messages").isPositive();
    }

    @Test
    void subscriptionMadeDuringAnOutageWorksOnceRedisIsBack() throws Exception {
        RecordingListener listener = new RecordingListener();
        Subscription dropped;

        redis.stop();
        try {
            Eventually.assertWithin(WAIT, () -> assertThat(broker.isHealthy()).isFalse());
            Thread.sleep(300);
            long started = System.nanoTime();
            broker.subscribe(prefix + "made-offline", listener);
            dropped = broker.subscribe(prefix + "dropped-offline", new RecordingListener());
            dropped.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no waiting while disconnected")
                    .isLessThan(Duration.ofMillis(800));
        } finally {
            redis.start();
        }

        Eventually.assertWithin(RECOVERY, () -> {
            admin.publish(prefix + "made-offline", "hello again");
            assertThat(listener.drain()).isNotEmpty();
        });
        Eventually.assertWithin(WAIT, () ->
                assertThat(admin.pubsubChannels(prefix + "*")).containsExactly(prefix + "made-offline"));
    }

    @Test
    void publishWhileRedisIsDownReturnsFalseQuicklyWithoutThrowing() throws Exception {
        redis.stop();
        try {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                assertThat(broker.publish(prefix + "nowhere", "lost")).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(broker.stats().publishFailures()).isEqualTo(3);
        } finally {
            redis.start();
        }
        Eventually.assertWithin(RECOVERY, () -> assertThat(broker.isHealthy()).isTrue());
    }

    @Test
    void creatingBrokerFailsFastWhenRedisIsUnreachable() throws IOException {
        int closedPort = freePort();
        BrokerSettings unreachable = new BrokerSettings(Optional.of("redis://127.0.0.1:" + closedPort),
                COMMAND_TIMEOUT, Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), Optional.empty(),
                RedisMode.STANDALONE, BrokerSettings.DEFAULT_TOPOLOGY_REFRESH, true);

        assertThatThrownBy(() -> new RedisEventBroker(unreachable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void factoryPicksRedisWhenUriIsSet() {
        try (EventBroker created = EventBrokers.create(settings())) {
            assertThat(created).as("Redis, with its publishes retried").isInstanceOf(RetryingEventBroker.class);
            assertThat(created.isHealthy()).isTrue();
        }
    }

    @Test
    void globPatternAgreesWithRedis() {
        List<String> names = List.of("hello", "hallo", "hxllo", "hllo", "heeello", "h*llo", "h?llo", "h]llo",
                "h-llo", "h^llo", "h\\llo", "a/b/c", "a/b", "a/", "a", "", "x{a/b}/y", "_", "b", "]", "a\\",
                "execution_event/user-1/graph-1/exec-1", "execution_event/user-12/graph-1/exec-1");
        List<String> patterns = List.of("*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo",
                "h\\*llo", "h\\?llo", "h[\\]]llo", "h[-]llo", "h[\\^]llo", "a/*", "a/?", "a*", "*/b", "x{a/b}/*",
                "[a-]", "h[a", "a\\", "h\\\\llo", "execution_event/user-1/*", "*exec-?", "[^a]*", "[]");
        String keyPrefix = "glob:";
        for (String name : names) {
            admin.set(keyPrefix + name, "1");
        }
        try {
            for (String pattern : patterns) {
                Set<String> byRedis = admin.keys(keyPrefix + pattern).stream()
                        .map(key -> key.substring(keyPrefix.length()))
                        .collect(Collectors.toSet());
                GlobPattern glob = GlobPattern.compile(pattern);
                Set<String> byUs = names.stream().filter(glob::matches).collect(Collectors.toSet());
                assertThat(byUs).as("pattern %s", pattern).isEqualTo(byRedis);
            }
        } finally {
            admin.del(names.stream().map(name -> keyPrefix + name).toArray(String[]::new));
        }
    }

    private List<Map<String, String>> clientList() {
        return Arrays.stream(admin.clientList().split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> Arrays.stream(line.split(" "))
                        .map(field -> field.split("=", 2))
                        .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : "")))
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
