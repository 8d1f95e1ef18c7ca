package io.agentserver.service.xagent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Stores;
import io.agentserver.service.store.Upload;
import io.agentserver.service.store.User;
import io.agentserver.service.store.WorkspaceFile;
import io.agentserver.service.web.LenientQueryDecoder;
import io.agentserver.service.xagent.XAgentUsers;
import io.helidon.http.media.multipart.MultiPart;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@code /workspace/upload} (multipart, read by {@link MultipartUpload} within {@link UploadSettings}) and
 * {@code /workspace/file}: files in and out of interactions.
 */
public final class WorkspaceRoutes implements HttpService {

    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp", "svg", "image/svg+xml");

    private final Stores stores;
    private final FormAuthenticator auth;
    private final UploadSettings limits;
    private final Clock clock;

    public WorkspaceRoutes(Stores stores, XAgentUsers users, UploadSettings limits, Clock clock) {
        this.stores = stores;
        this.auth = new FormAuthenticator(users);
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/workspace/upload", this::upload)
                .post("/workspace/file", this::file);
    }

    private void upload(ServerRequest req, ServerResponse res) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > limits.maxTotalBytes() + UploadSettings.ENVELOPE_SLACK_BYTES) {
            throw new HttpProblem(413, "the upload is larger than " + limits.maxTotalBytes() + " bytes");
        }
        try (MultipartUpload upload = new MultipartUpload(limits, auth::caller)) {
            upload.authenticateFrom(LenientQueryDecoder.parse(req.query().rawValue()));
            MultiPart multiPart;
            try {
                multiPart = req.content().as(MultiPart.class);
            } catch (RuntimeException e) {
                throw HttpProblem.badRequest("expected a multipart/form-data body with files, user_id and token");
            }
            upload.read(multiPart);
            if (upload.files().isEmpty()) {
                throw HttpProblem.badRequest("field \"files\" is required");
            }
            User user = upload.caller();
            ArrayNode list = Json.array();
            for (MultipartUpload.SpooledFile file : upload.files()) {
                String uuid = UUID.randomUUID().toString().replace("-", "");
                stores.workspace().saveUpload(new Upload(uuid, user.userId(), file.name(), file.content(),
                        clock.instant()));
                list.addObject().put("uuid", uuid).put("name", file.name());
            }
            ObjectNode data = Json.object().put("user_id", user.userId());
            data.set("file_list", list);
            Envelope.ok(res, data);
        }
    }

    /** The file as text, or as a {@code data:} URL for images and other binary content. */
    private void file(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        User user = auth.caller(form);
        String id = form.required("interaction_id");
        String name = form.required("file_name");
        Interaction interaction = stores.interactions().find(id).filter(i -> !i.deleted())
                .filter(i -> i.userId().equals(user.userId()) || i.shared())
                .orElseThrow(() -> HttpProblem.notFound("no interaction " + id + " for this user"));
        WorkspaceFile file = stores.workspace().get(interaction.interactionId(), name)
                .orElseThrow(() -> HttpProblem.notFound("no file " + name + " in this workspace"));
        Envelope.ok(res, Json.mapper().getNodeFactory().textNode(render(name, file.content())));
    }

    private static String render(String name, byte[] content) {
        String suffix = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String imageType = IMAGE_TYPES.get(suffix);
        if (imageType == null) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException e) {
                imageType = "application/octet-stream";
            }
        }
        return "data:" + imageType + ";base64," + Base64.getEncoder().encodeToString(content);
    }
}
