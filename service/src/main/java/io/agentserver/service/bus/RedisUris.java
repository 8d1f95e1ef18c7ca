package io.agentserver.service.bus;

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
}
