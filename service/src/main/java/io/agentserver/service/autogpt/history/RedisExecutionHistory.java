package io.agentserver.service.autogpt.history;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
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
 */
public final class RedisExecutionHistory implements ExecutionHistory {

    private static final String PREFIX = "agent-server:autogpt-history:";
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

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final int maxLength;
    private final Duration ttl;

    /** @param uri with the broker's timeout and credentials ({@link io.agentserver.service.bus.RedisUris}) */
    public RedisExecutionHistory(RedisURI uri, int maxLength, Duration ttl) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect(StringCodec.UTF8);
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    @Override
    public String append(String executionKey, String frame) {
        return connection.sync().eval(APPEND, ScriptOutputType.VALUE, appendKeys(executionKey, frame),
                appendArgs(frame));
    }

    @Override
    public CompletionStage<String> appendAsync(String executionKey, String frame) {
        return connection.async().<String>eval(APPEND, ScriptOutputType.VALUE, appendKeys(executionKey, frame),
                appendArgs(frame));
    }

    private static String[] appendKeys(String executionKey, String frame) {
        String stream = PREFIX + executionKey;
        return new String[]{stream, PREFIX + "dedupe:" + sha256(executionKey + "\n" + frame), stream + ":meta"};
    }

    private String[] appendArgs(String frame) {
        return new String[]{String.valueOf(maxLength), frame, String.valueOf(ttl.toSeconds()),
                String.valueOf(DEDUPE_TTL.toSeconds())};
    }

    @Override
    public Slice after(String executionKey, String sinceId, int limit) {
        String stream = PREFIX + executionKey;
        // The range starts at sinceId itself (inclusive, for every Redis version): one more than asked.
        List<Object> reply = connection.sync().eval(AFTER, ScriptOutputType.MULTI, new String[]{stream, stream + ":meta"},
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
        client.shutdown();
    }
}
