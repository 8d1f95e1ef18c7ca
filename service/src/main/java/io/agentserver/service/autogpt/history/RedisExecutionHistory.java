package io.agentserver.service.autogpt.history;

import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.RedisUris;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The history in Redis, shared by every replica: per execution a stream capped with {@code XADD MAXLEN ~ N}
 * and expiring {@code ttl} after its last event, a counter of everything ever added (to tell a trimmed stream
 * from a whole one), and a short-lived key per frame that makes every replica's append of the same frame
 * return the same id. Each operation is one Lua script: atomic, one round trip.
 *
 * <p>The keys of one execution share a Redis Cluster hash tag, the execution key in braces
 * ({@code agent-server:autogpt-history:{U|graph_exec#E}}, {@code …:meta}, {@code …:dedupe:<sha256>}), so that a
 * script touching them together runs on the one node of their slot; on a Redis Cluster the scripts go through
 * Lettuce's cluster client, which sends each to the master of that slot.
 */
public final class RedisExecutionHistory implements ExecutionHistory {

    static final String PREFIX = "agent-server:autogpt-history:";
    private static final Duration DEDUPE_TTL = Duration.ofMinutes(10);

    /** KEYS: stream, dedupe, meta. ARGV: max length, frame, ttl seconds, dedupe ttl seconds. */
    private static final String APPEND = """
            local id = redis.call('GET', KEYS[2])
            if id then return id end
            id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[2])
            redis.call('SET', KEYS[2], id, 'EX', ARGV[4])
            redis.call('HINCRBY', KEYS[3], 'added', 1)
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            redis.call('EXPIRE', KEYS[3], ARGV[3])
            return id
            """;

    /** KEYS: stream, meta. ARGV: since, count. Returns {added, length, first id, entries from since on}. */
    private static final String AFTER = """
            local len = redis.call('XLEN', KEYS[1])
            if len == 0 then return {0, 0, '', {}} end
            local added = tonumber(redis.call('HGET', KEYS[2], 'added') or '0')
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
            local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
            return {added, len, first, entries}
            """;

    private final AutoCloseable client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final int maxLength;
    private final Duration ttl;

    /** @param uri with the broker's timeout and credentials ({@link io.agentserver.service.bus.RedisUris}) */
    public RedisExecutionHistory(RedisURI uri, int maxLength, Duration ttl) {
        RedisClient standalone = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connected = standalone.connect(StringCodec.UTF8);
        this.client = standalone::shutdown;
        this.connection = connected;
        this.sync = connected.sync();
        this.async = connected.async();
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    private RedisExecutionHistory(RedisClusterClient cluster, int maxLength, Duration ttl) {
        StatefulRedisClusterConnection<String, String> connected = cluster.connect(StringCodec.UTF8);
        this.client = cluster::shutdown;
        this.connection = connected;
        this.sync = connected.sync();
        this.async = connected.async();
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    /** On the Redis (or Redis Cluster, in cluster mode) the broker uses, with its credentials and timeout. */
    public static RedisExecutionHistory connect(BrokerSettings settings, String clientName, int maxLength,
                                                Duration ttl) {
        if (settings.cluster()) {
            return new RedisExecutionHistory(RedisClusterClient.create(RedisUris.seeds(settings, clientName)),
                    maxLength, ttl);
        }
        String uri = settings.redisUri().orElseThrow(() ->
                new IllegalArgumentException(BrokerSettings.REDIS_URI_KEY + " is not set"));
        return new RedisExecutionHistory(RedisUris.forClient(uri, settings, clientName), maxLength, ttl);
    }

    @Override
    public String append(String executionKey, String frame) {
        return sync.eval(APPEND, ScriptOutputType.VALUE, appendKeys(executionKey, frame), appendArgs(frame));
    }

    @Override
    public CompletionStage<String> appendAsync(String executionKey, String frame) {
        return async.<String>eval(APPEND, ScriptOutputType.VALUE, appendKeys(executionKey, frame), appendArgs(frame));
    }

    /** The stream of an execution; its meta and dedupe keys extend it, so all carry its hash tag. */
    static String streamKey(String executionKey) {
        return PREFIX + "{" + executionKey + "}";
    }

    private static String[] appendKeys(String executionKey, String frame) {
        String stream = streamKey(executionKey);
        return new String[]{stream, stream + ":dedupe:" + sha256(frame), stream + ":meta"};
    }

    private String[] appendArgs(String frame) {
        return new String[]{String.valueOf(maxLength), frame, String.valueOf(ttl.toSeconds()),
                String.valueOf(DEDUPE_TTL.toSeconds())};
    }

    @Override
    public Slice after(String executionKey, String sinceId, int limit) {
        String stream = streamKey(executionKey);
        // The range starts at sinceId itself (inclusive, for every Redis version): one more than asked.
        List<Object> reply = sync.eval(AFTER, ScriptOutputType.MULTI, new String[]{stream, stream + ":meta"},
                sinceId, String.valueOf(limit + 1));
        long added = (Long) reply.get(0);
        long length = (Long) reply.get(1);
        if (length == 0) {
            return new Slice(List.of(), ExecutionHistory.nothingRecordedIsComplete(sinceId));
        }
        String first = (String) reply.get(2);
        List<Entry> entries = new ArrayList<>();
        for (Object raw : (List<?>) reply.get(3)) {
            List<?> entry = (List<?>) raw;
            String id = (String) entry.get(0);
            List<?> fields = (List<?>) entry.get(1);
            if (ExecutionHistory.compareIds(id, sinceId) > 0 && fields.size() >= 2 && entries.size() < limit) {
                entries.add(new Entry(id, (String) fields.get(1)));
            }
        }
        boolean complete = added == length || ExecutionHistory.compareIds(first, sinceId) <= 0;
        return new Slice(entries, complete);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        try {
            client.close();
        } catch (Exception e) {
            // closing: nothing left to do with this client
        }
    }
}
