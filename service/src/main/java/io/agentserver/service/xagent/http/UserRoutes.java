package io.agentserver.service.xagent.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DuplicateKeyException;
import io.agentserver.service.store.User;
import io.agentserver.service.store.UserStore;
import io.agentserver.service.xagent.InteractionView;
import io.agentserver.service.xagent.XAgentUsers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.UUID;

/** {@code /user/register|login|check|auth}. */
public final class UserRoutes implements HttpService {

    private final UserStore users;
    private final FormAuthenticator auth;
    private final Clock clock;

    public UserRoutes(UserStore users, XAgentUsers directory, Clock clock) {
        this.users = users;
        this.auth = new FormAuthenticator(directory);
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/user/register", this::register)
                .post("/user/login", this::login)
                .post("/user/check", this::check)
                .get("/user/auth", this::auth);
    }

    private void register(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        String email = form.required("email").trim();
        if (email.isEmpty()) {
            throw HttpProblem.badRequest("email is empty!");
        }
        var now = clock.instant();
        User user = new User(UUID.randomUUID().toString().replace("-", ""), email,
                form.optional("name", email), UUID.randomUUID().toString().replace("-", ""), true,
                form.optional("corporation", ""), form.optional("industry", ""), form.optional("position", ""),
                true, false, now, now);
        try {
            users.insert(user);
        } catch (DuplicateKeyException e) {
            throw HttpProblem.badRequest("email already exists!");
        }
        Envelope.ok(res, view(user, false));
    }

    private void login(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        String email = form.required("email");
        String token = form.required("token");
        User user = users.findByEmail(email)
                .orElseThrow(() -> HttpProblem.unauthorized(XAgentUsers.USER_NOT_EXIST));
        if (!MessageDigest.isEqual(user.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
                || !user.available() || user.deleted()) {
            throw HttpProblem.unauthorized(XAgentUsers.USER_NOT_AVAILABLE);
        }
        Envelope.ok(res, view(user, true));
    }

    private void check(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        auth.caller(form);
        Envelope.ok(res, Json.mapper().getNodeFactory().booleanNode(true));
    }

    private void auth(ServerRequest req, ServerResponse res) {
        Envelope.ok(res, view(auth.caller(Form.of(req)), false));
    }

    /** XAgent's user object; XAgent's web client needs {@code is_beta} to be a JSON boolean. */
    static ObjectNode view(User user, boolean withDeleted) {
        ObjectNode node = Json.object();
        node.put("user_id", user.userId());
        node.put("email", user.email());
        node.put("name", user.name());
        node.put("token", user.token());
        node.put("available", user.available());
        node.put("corporation", user.corporation());
        node.put("industry", user.industry());
        node.put("position", user.position());
        node.put("create_time", InteractionView.time(user.createTime()));
        node.put("update_time", InteractionView.time(user.updateTime()));
        node.put("is_beta", user.beta());
        if (withDeleted) {
            node.put("deleted", user.deleted());
        }
        return node;
    }
}
