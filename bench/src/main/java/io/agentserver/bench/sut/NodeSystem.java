package io.agentserver.bench.sut;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node {@code ws}+Redis gateway on a Redis of its own: subscribers on {@code /sub/{exec}?token=<JWT>} (the token
 * ours gets), events PUBLISHed to {@code exec/{exec}} with the bytes nchan gets, PING answered PONG once subscribed.
 */
public final class NodeSystem implements SystemUnderTest {
    private static final Readiness PING = Readiness.of("PING", "PONG");
    private static final Pattern HEAP_USED = Pattern.compile("\"heapUsed\":(\\d+)");

    private final RedisProcess redis;
    private final NodeGateway gateway;
    private final Tokens tokens;
    private final RedisPublisher publisher;

    private NodeSystem(RedisProcess redis, NodeGateway gateway, Tokens tokens) {
        this.redis = redis;
        this.gateway = gateway;
        this.tokens = tokens;
        this.publisher = new RedisPublisher(redis.uri(), RedisPublisher.Format.CHANNEL_PER_EXECUTION);
    }

    public static NodeSystem start(String nodeCommand, String redisCommand, Path workDir) {
        Tokens tokens = Tokens.bench();
        RedisProcess redis = RedisProcess.start(redisCommand, workDir);
        try {
            return new NodeSystem(redis, NodeGateway.start(nodeCommand, redis.uri(), tokens.secret(), workDir), tokens);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public int replicas() {
        return 1;
    }

    @Override
    public URI subscriberUri(int replica, String user, String exec) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + "/sub/" + exec + "?token=" + tokens.forUser(user));
    }

    @Override
    public Readiness subscribe(String exec) {
        return PING;
    }

    @Override
    public Readiness keepAlive() {
        return PING;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public List<Long> serverPids() {
        return List.of(gateway.pid());
    }

    /** V8's {@code heapUsed} after {@code global.gc()}, from the gateway's {@code /heap}. */
    @Override
    public OptionalLong heapAfterGcKb(int replica) {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/heap")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher used = HEAP_USED.matcher(response.body());
            return response.statusCode() == 200 && used.find()
                    ? OptionalLong.of(Long.parseLong(used.group(1)) / 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    @Override
    public OptionalLong brokerPid() {
        return redis.pid() > 0 ? OptionalLong.of(redis.pid()) : OptionalLong.empty();
    }

    @Override
    public void close() {
        publisher.close();
        gateway.close();
        redis.close();
    }
}
