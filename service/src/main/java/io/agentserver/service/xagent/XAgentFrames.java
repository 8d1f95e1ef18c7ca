package io.agentserver.service.xagent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

/** The frames an XAgent client receives, byte for byte as XAgent's server wrote them (compact). */
public final class XAgentFrames {

    public static final String PONG = "{\"type\":\"pong\"}";
    static final String CONNECT_SUCCESS = "connect success";

    private XAgentFrames() {
    }

    /** A step: exactly the 7 keys {@code data,status,message,success,current,node_id,workspace_file_list}. */
    public static String step(Step step) {
        String message = StepStatus.FAILED.equals(step.status()) ? Json.read(step.dataJson()).asText() : "success";
        return new StringBuilder(step.dataJson().length() + step.workspaceFilesJson().length() + 160)
                .append("{\"data\":").append(step.dataJson())
                .append(",\"status\":").append(quote(step.status()))
                .append(",\"message\":").append(quote(message))
                .append(",\"success\":true")
                .append(",\"current\":").append(quote(step.current()))
                .append(",\"node_id\":").append(quote(step.nodeId()))
                .append(",\"workspace_file_list\":").append(step.workspaceFilesJson())
                .append('}')
                .toString();
    }

    /** The first frame of every socket; {@code data} is the interaction object, or null. */
    public static String connected(JsonNode interaction) {
        return "{\"data\":" + Json.write(interaction) + ",\"status\":\"connect\",\"message\":\""
                + CONNECT_SUCCESS + "\",\"success\":true}";
    }

    /** A refused connect; the socket closes with 1000 after it. The recorder uses status {@code failed}. */
    public static String refused(String status, String reason) {
        return "{\"data\":null,\"status\":" + quote(status) + ",\"message\":" + quote(reason) + ",\"success\":false}";
    }

    /** An in-band error: the socket stays open. */
    public static String error(String message) {
        return "{\"data\":null,\"status\":\"error\",\"message\":" + quote(message) + ",\"success\":false}";
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
