package io.agentserver.service.xagent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.recording.Recordings;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Page;
import io.agentserver.service.store.Stores;
import io.agentserver.service.store.User;
import io.agentserver.service.xagent.InteractionView;
import io.agentserver.service.xagent.XAgentUsers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.List;

/** {@code /conv/…}: create, list, share, delete and configure interactions; export a finished run. */
public final class ConversationRoutes implements HttpService {

    private static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_DESCRIPTION = 256;

    private final Stores stores;
    private final FormAuthenticator auth;
    private final Recordings recordings;
    private final Clock clock;

    public ConversationRoutes(Stores stores, XAgentUsers users, Recordings recordings, Clock clock) {
        this.stores = stores;
        this.auth = new FormAuthenticator(users);
        this.recordings = recordings;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/conv/init_conv_env", this::initConvEnv)
                .post("/conv/getUserInteractions", this::userInteractions)
                .post("/conv/getSharedInteractions", this::sharedInteractions)
                .post("/conv/shareInteraction", this::share)
                .post("/conv/deleteInteraction", this::delete)
                .post("/conv/updateInteractionConfig", this::updateConfig)
                .post("/conv/updateInteractionDescription", this::updateDescription)
                .post("/conv/exportRecording", this::exportRecording);
    }

    /** Hands out the user's unused interaction, or a new one, as XAgent does. */
    private void initConvEnv(ServerRequest req, ServerResponse res) {
        User user = auth.caller(Form.of(req));
        Interaction interaction = stores.interactions().findReady(user.userId()).orElseGet(() -> {
            var now = clock.instant();
            Interaction created = new Interaction(NodeIds.next(), user.userId(), now, now, "XAgent", "", "", "[]",
                    "", InteractionStatus.READY, "ready...", "-1", false, "web", false);
            stores.interactions().insert(created);
            return created;
        });
        Envelope.ok(res, Json.object().put("id", interaction.interactionId())
                .put("t", String.valueOf(clock.millis())));
    }

    private void userInteractions(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        User user = auth.caller(form);
        Page<Interaction> page = stores.interactions().listByUser(user.userId(), InteractionStatus.FINISHED,
                form.positiveInt("page_num", 1, Integer.MAX_VALUE), form.positiveInt("page_size", 10, MAX_PAGE_SIZE));
        Envelope.ok(res, listing(page));
    }

    private void sharedInteractions(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        auth.caller(form);
        Page<Interaction> page = stores.interactions().listShared(
                form.positiveInt("page_num", 1, Integer.MAX_VALUE), form.positiveInt("page_size", 10, MAX_PAGE_SIZE));
        Envelope.ok(res, listing(page));
    }

    private void share(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Interaction interaction = owned(auth.caller(form), form);
        if (!interaction.status().isFinal()) {
            throw HttpProblem.badRequest("interaction is not finish!");
        }
        stores.interactions().markShared(interaction.interactionId());
        Envelope.ok(res, Json.object().put("interaction_id", interaction.interactionId()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Interaction interaction = owned(auth.caller(form), form);
        stores.interactions().markDeleted(interaction.interactionId());
        Envelope.ok(res, null);
    }

    private void updateConfig(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Interaction interaction = owned(auth.caller(form), form);
        String mode = form.required("mode");
        String agent = form.required("agent");
        ArrayNode files = Json.array();
        for (String file : form.all("file_list")) {
            files.add(Json.parse(file).filter(n -> n.isObject())
                    .orElseThrow(() -> HttpProblem.badRequest("each file_list entry must be a JSON object")));
        }
        stores.interactions().updateConfig(interaction.interactionId(), agent, mode, Json.write(files));
        ObjectNode data = Json.object().put("interaction_id", interaction.interactionId())
                .put("agent", agent).put("mode", mode);
        data.set("file_list", files);
        Envelope.ok(res, data);
    }

    private void updateDescription(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Interaction interaction = owned(auth.caller(form), form);
        String description = form.required("description");
        if (description.length() > MAX_DESCRIPTION) {
            throw HttpProblem.badRequest("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        String stored = description.isBlank() ? "XAgent" : description;
        stores.interactions().updateDescription(interaction.interactionId(), stored);
        Envelope.ok(res, Json.object().put("interaction_id", interaction.interactionId()).put("description", stored));
    }

    /** Writes a finished run to the recordings folder, for {@code /ws/recorder} to play back. */
    private void exportRecording(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Interaction interaction = owned(auth.caller(form), form);
        if (!interaction.status().isFinal()) {
            throw HttpProblem.badRequest("interaction is not finish!");
        }
        String name = recordings.export(interaction, stores);
        Envelope.ok(res, Json.object().put("interaction_id", interaction.interactionId()).put("recorder_dir", name));
    }

    private Interaction owned(User user, Form form) {
        String id = form.required("interaction_id");
        if (id.isBlank()) {
            throw HttpProblem.badRequest("interaction_id is empty!");
        }
        Interaction interaction = stores.interactions().find(id).filter(i -> !i.deleted())
                .orElseThrow(() -> HttpProblem.notFound("Don't find any interaction by interaction_id: " + id
                        + ", Please check your interaction_id!"));
        if (!interaction.userId().equals(user.userId())) {
            throw HttpProblem.forbidden("this interaction belongs to another user!");
        }
        return interaction;
    }

    private ObjectNode listing(Page<Interaction> page) {
        ObjectNode data = Json.object();
        data.put("total", page.total());
        ArrayNode rows = data.putArray("rows");
        for (Interaction interaction : page.rows()) {
            ObjectNode row = InteractionView.of(interaction);
            ArrayNode parameters = row.putArray("parameters");
            List<String> args = stores.parameters().list(interaction.interactionId());
            args.forEach(a -> parameters.add(Json.read(a)));
            rows.add(row);
        }
        return data;
    }
}
