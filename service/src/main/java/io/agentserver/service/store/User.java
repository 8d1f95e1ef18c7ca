package io.agentserver.service.store;

import java.time.Instant;

/** An XAgent user. The token is the user's shared secret for the XAgent routes and sockets. */
public record User(String userId,
                   String email,
                   String name,
                   String token,
                   boolean available,
                   String corporation,
                   String industry,
                   String position,
                   boolean beta,
                   boolean deleted,
                   Instant createTime,
                   Instant updateTime) {
}
