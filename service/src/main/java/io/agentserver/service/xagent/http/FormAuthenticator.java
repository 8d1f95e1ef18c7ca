package io.agentserver.service.xagent.http;

import io.agentserver.service.store.User;
import io.agentserver.service.xagent.XAgentUsers;

/** Resolves the {@code user_id} and {@code token} fields of a request to a user, or answers 401. */
final class FormAuthenticator {

    private final XAgentUsers users;

    FormAuthenticator(XAgentUsers users) {
        this.users = users;
    }

    User caller(Form form) {
        String userId = form.optional("user_id", "");
        if (userId.isBlank()) {
            throw HttpProblem.unauthorized("user_id is empty!");
        }
        return switch (users.check(userId, form.optional("token", ""))) {
            case XAgentUsers.Accepted accepted -> accepted.user();
            case XAgentUsers.Refused(String reason) -> throw HttpProblem.unauthorized(reason);
        };
    }
}
