package io.agentserver.service.autogpt.lookup;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A {@link GraphLookup} that remembers what it found (an execution's graph never changes): a client that
 * reconnects, and every socket of a user watching the same execution, cost one query. Only answers are cached: an
 * execution that is not found yet (it may be created a moment later) is asked again.
 */
public final class CachedGraphLookup implements GraphLookup {

    private record Key(String userId, String graphExecId) {
    }

    private final GraphLookup lookup;
    private final Cache<Key, String> found;

    public CachedGraphLookup(GraphLookup lookup, AutoGptDatabaseSettings settings) {
        this.lookup = lookup;
        this.found = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfterWrite(settings.cacheTtl())
                .build();
    }

    @Override
    public Optional<String> graphOf(String userId, String graphExecId) {
        Key key = new Key(userId, graphExecId);
        String cached = found.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> graph = lookup.graphOf(userId, graphExecId);
        graph.ifPresent(g -> found.put(key, g));
        return graph;
    }

    @Override
    public void close() {
        lookup.close();
    }
}
