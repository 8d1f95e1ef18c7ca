package io.agentserver.service.xagent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** XAgent's response body: {@code {"data":…,"success":bool,"message":str|null}}. */
public final class Envelope {

    private Envelope() {
    }

    public static void ok(ServerResponse res, JsonNode data) {
        send(res, 200, data, true, "success");
    }

    public static void problem(ServerResponse res, HttpProblem problem) {
        send(res, problem.status(), null, false, problem.getMessage());
    }

    public static void send(ServerResponse res, int status, JsonNode data, boolean success, String message) {
        ObjectNode body = Json.object();
        body.set("data", data);
        body.put("success", success);
        body.put("message", message);
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.write(body));
    }
}
