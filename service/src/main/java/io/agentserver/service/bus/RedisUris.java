package io.agentserver.service.bus;

import java.util.List;

import io.lettuce.core.RedisURI;

/** The Redis address every connection of this service uses: the configured URI with its timeout and credentials. */
public final class RedisUris {

    private RedisUris() {
    }

    /**
     * @param uri        {@code redis.uri}
     * @param clientName shown by {@code CLIENT LIST}, unless the URI names one
     */
    public static RedisURI forClient(String uri, BrokerSettings settings, String clientName) {
        RedisURI.Builder builder = RedisURI.builder(RedisURI.create(uri)).withTimeout(settings.commandTimeout());
        settings.redisPassword().ifPresent(password -> settings.redisUsername().ifPresentOrElse(
                username -> builder.withAuthentication(username, password),
                () -> builder.withPassword(password)));
        RedisURI redisUri = builder.build();
        if (redisUri.getClientName() == null) {
            redisUri.setClientName(clientName);
        }
        return redisUri;
    }

    /** Every seed node of {@code redis.uri} (cluster mode), each as {@link #forClient}. */
    public static List<RedisURI> seeds(BrokerSettings settings, String clientName) {
        List<String> uris = settings.redisUris();
        if (uris.isEmpty()) {
            throw new IllegalArgumentException(BrokerSettings.REDIS_URI_KEY + " is not set");
        }
        return uris.stream().map(uri -> forClient(uri, settings, clientName)).toList();
    }

    /**
     * One node the cluster named (by host and port), with the credentials, TLS and timeout of the first seed: the
     * nodes of one cluster share them.
     */
    public static RedisURI forNode(RedisURI seed, String host, int port, String clientName) {
        RedisURI.Builder builder = RedisURI.builder(seed).withHost(host).withPort(port);
        RedisURI node = builder.build();
        node.setClientName(clientName);
        return node;
    }

    /** host:port of several URIs, for logs: no credentials. */
    public static String addresses(List<RedisURI> uris) {
        return String.join(",", uris.stream().map(uri -> uri.getHost() + ":" + uri.getPort()).toList());
    }
}
