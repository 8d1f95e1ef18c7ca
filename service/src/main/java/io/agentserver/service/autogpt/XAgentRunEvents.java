package io.agentserver.service.autogpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentserver.service.store.InteractionStatus;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Our own runs seen as AutoGPT graph executions: {@code graph_id} is the agent name,
 * {@code graph_exec_id} the interaction id, one {@code node_execution_update} per step and one
 * {@code graph_execution_update} per status change, plus a notification when a run ends.
 *
 * <p>Choices: {@code node_exec_id} is the step's node id (unique per step); {@code node_id} is the
 * step's status (its kind: the same kind groups as one "node" in an AutoGPT builder view), or
 * {@value #BLOCK_ID} when blank; {@code block_id} is always {@value #BLOCK_ID}; {@code graph_version} is
 * 1. {@code output_data} follows AutoGPT's shape (every output pin maps to a list of values), so each
 * of {@code status}, {@code current}, {@code data} and {@code workspace_file_list} is a one-element
 * list. The step's {@code seq} is added as an extra field {@code seq} that AutoGPT clients ignore and
 * ours can resume from. Step data is written as the stored JSON text, untouched.
 */
public final class XAgentRunEvents {
    static final String BLOCK_ID = "xagent-step";
    static final int GRAPH_VERSION = 1;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** A {@code node_execution_update} for one step of a run. */
    public RawJsonObject nodeExecutionEvent(String userId, String agentName, String interactionId,
                                            String nodeId, String stepStatus, String current,
                                            String dataJson, String workspaceFilesJson, long seq,
                                            Instant addTime) {
        Objects.requireNonNull(addTime, "addTime");
        String data = jsonValue(dataJson, "null", "dataJson");
        String files = jsonValue(workspaceFilesJson, "[]", "workspaceFilesJson");
        String time = isoUtc(addTime);
        return write(json -> {
            json.writeStringField("user_id", userId);
            json.writeStringField("graph_id", agentName);
            json.writeNumberField("graph_version", GRAPH_VERSION);
            json.writeStringField("graph_exec_id", interactionId);
            json.writeStringField("node_exec_id", nodeId);
            json.writeStringField("node_id", stepStatus == null || stepStatus.isBlank() ? BLOCK_ID : stepStatus);
            json.writeStringField("block_id", BLOCK_ID);
            json.writeStringField("status", nodeStatus(stepStatus).name());
            json.writeFieldName("input_data");
            json.writeStartObject();
            json.writeEndObject();
            json.writeFieldName("output_data");
            json.writeStartObject();
            json.writeFieldName("status");
            writeOne(json, stepStatus);
            json.writeFieldName("current");
            writeOne(json, current);
            json.writeFieldName("data");
            json.writeStartArray();
            json.writeRawValue(data);
            json.writeEndArray();
            json.writeFieldName("workspace_file_list");
            json.writeStartArray();
            json.writeRawValue(files);
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField("add_time", time);
            json.writeStringField("queue_time", time);
            json.writeStringField("start_time", time);
            json.writeStringField("end_time", time);
            json.writeStringField("event_type", RedisIngest.NODE_EXEC_UPDATE);
            json.writeNumberField("seq", seq);
        });
    }

    /** A {@code graph_execution_update} for a run whose status is {@code interactionStatusWire}. */
    public RawJsonObject graphExecutionEvent(String userId, String agentName, String interactionId,
                                             String interactionStatusWire, Instant startedAt, Instant endedAt) {
        ExecutionStatus status = graphStatus(interactionStatusWire);
        return write(json -> {
            json.writeStringField("id", interactionId);
            json.writeStringField("user_id", userId);
            json.writeStringField("graph_id", agentName);
            json.writeNumberField("graph_version", GRAPH_VERSION);
            json.writeFieldName("inputs");
            json.writeStartObject();
            json.writeEndObject();
            json.writeNullField("credential_inputs");
            json.writeNullField("nodes_input_masks");
            json.writeNullField("preset_id");
            json.writeStringField("status", status.name());
            writeTimeOrNull(json, "started_at", startedAt);
            writeTimeOrNull(json, "ended_at", endedAt);
            json.writeNullField("stats");
            json.writeFieldName("outputs");
            json.writeStartObject();
            json.writeEndObject();
            json.writeStringField("event_type", RedisIngest.GRAPH_EXEC_UPDATE);
        });
    }

    /**
     * The notification data for a run that ended: {@code run_finished} for {@code finished},
     * {@code run_failed} for {@code failed}; empty for any other status.
     */
    public Optional<RawJsonObject> notification(String interactionId, String interactionStatusWire, String message) {
        ExecutionStatus status = graphStatus(interactionStatusWire);
        String event = switch (status) {
            case COMPLETED -> "run_finished";
            case FAILED -> "run_failed";
            default -> null;
        };
        if (event == null) {
            return Optional.empty();
        }
        return Optional.of(write(json -> {
            json.writeStringField("type", "info");
            json.writeStringField("event", event);
            json.writeStringField("interaction_id", interactionId);
            json.writeStringField("status", status.name());
            json.writeStringField("message", message);
        }));
    }

    /** The AutoGPT status of a run in the given XAgent status; throws for an unknown status. */
    public static ExecutionStatus graphStatus(String interactionStatusWire) {
        return InteractionStatus.fromWire(interactionStatusWire)
                .map(ExecutionStatus::of)
                .orElseThrow(() -> new IllegalArgumentException("unknown interaction status: " + interactionStatusWire));
    }

    /** A step is FAILED when its status is {@code failed}, COMPLETED otherwise: it has been delivered. */
    static ExecutionStatus nodeStatus(String stepStatus) {
        return "failed".equals(stepStatus) ? ExecutionStatus.FAILED : ExecutionStatus.COMPLETED;
    }

    /**
     * ISO-8601 UTC with {@code Z} as AutoGPT (pydantic) writes it: microseconds, six digits, omitted
     * when zero ({@code 2024-07-05T09:37:10.972000Z}, {@code 2024-07-05T09:37:10Z}).
     */
    public static String isoUtc(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String seconds = SECONDS.format(LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        int micro = micros.getNano() / 1000;
        return micro == 0 ? seconds + "Z" : seconds + String.format(".%06dZ", micro);
    }

    private static void writeOne(JsonGenerator json, String value) throws IOException {
        json.writeStartArray();
        json.writeString(value);
        json.writeEndArray();
    }

    private static void writeTimeOrNull(JsonGenerator json, String field, Instant time) throws IOException {
        if (time == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, isoUtc(time));
        }
    }

    /** The text if it is exactly one JSON value, the fallback when null; throws when malformed. */
    private static String jsonValue(String text, String whenNull, String what) {
        if (text == null) {
            return whenNull;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != null) {
                parser.skipChildren();
                if (parser.nextToken() == null) {
                    return text.strip();
                }
            }
        } catch (IOException e) {
            // malformed: reported below
        }
        throw new IllegalArgumentException(what + " is not one JSON value");
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static RawJsonObject write(Fields fields) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RawJsonObject.trusted(out.toString());
    }
}
