package io.agentserver.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Iterator;
import java.util.Map;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}), which the fabric8 mock does
 * not support (it answers 404 for a new object and 415 for an existing one), played as far as the operator's
 * requests need it: a new object is created from the patch; an existing one gets the patch merged in (objects
 * merged field by field, lists and scalars replaced, as a JSON merge patch does) and is replaced by the result
 * (the status alone for {@code /status}), and is not written at all
 * when that changes nothing (a real API server does not bump the resourceVersion of a no-op apply, and an
 * emulation that did would make the operator reconcile forever). An apply whose list-map fields repeat a key is
 * refused with 422, as a real API server does ({@link ApiServerValidation}). Not played: field ownership
 * ({@code managedFields}, conflicts between managers, removal of fields the manager stopped sending) and
 * merging list-map entries by key with other managers' entries.
 */
final class ServerSideApplyEmulation {

    static final String APPLY_PATCH = "application/apply-patch+yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization SERIALIZATION =
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

    private ServerSideApplyEmulation() {
    }

    static boolean isApply(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        return "PATCH".equals(request.getMethod()) && type != null && type.startsWith(APPLY_PATCH);
    }

    static MockResponse apply(RecordedRequest request, KubernetesCrudDispatcher crud) {
        String path = request.getPath().contains("?") ? request.getPath().substring(0, request.getPath().indexOf('?'))
                : request.getPath();
        boolean status = path.endsWith("/status");
        String objectPath = status ? path.substring(0, path.length() - "/status".length()) : path;
        try {
            JsonNode patch = YAML.readTree(request.getUtf8Body());
            if (!status) {
                // Like a real API server, refuse an apply whose list-map fields repeat a key.
                var object = (io.fabric8.kubernetes.api.model.HasMetadata) SERIALIZATION.unmarshal(JSON.writeValueAsString(patch));
                java.util.List<String> duplicates = ApiServerValidation.duplicateListMapKeys(object);
                if (!duplicates.isEmpty()) {
                    return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                            .setBody(JSON.writeValueAsString(Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure",
                                    "reason", "Invalid", "code", 422, "message", String.join("; ", duplicates))));
                }
            }
            MockResponse current = crud.handleGet(objectPath);
            if (current.code() == 404) {
                if (status) {
                    return current;
                }
                String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
                return crud.handleCreate(request("POST", collection, JSON.writeValueAsString(patch)));
            }
            JsonNode existing = JSON.readTree(body(current));
            JsonNode merged = merge(existing.deepCopy(), status ? JSON.createObjectNode().set("status", patch.get("status")) : patch);
            if (withoutVolatileMetadata(merged).equals(withoutVolatileMetadata(existing))) {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                        .setBody(JSON.writeValueAsString(existing));
            }
            // The whole merged object replaces the stored one (the mock's own merge patch appends to lists).
            return crud.handleUpdate(request("PUT", path, JSON.writeValueAsString(merged)));
        } catch (Exception e) {
            return new MockResponse().setResponseCode(500).setBody("apply emulation failed: " + e);
        }
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!(target instanceof ObjectNode object) || !patch.isObject()) {
            return patch;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                object.remove(field.getKey());
            } else if (object.has(field.getKey()) && object.get(field.getKey()).isObject() && field.getValue().isObject()) {
                merge(object.get(field.getKey()), field.getValue());
            } else {
                object.set(field.getKey(), field.getValue());
            }
        }
        return object;
    }

    private static JsonNode withoutVolatileMetadata(JsonNode object) {
        JsonNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove(java.util.List.of("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid"));
        }
        return copy;
    }

    private static String body(MockResponse response) {
        return new String(response.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static RecordedRequest request(String method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), path, headers, new Buffer().writeUtf8(body));
    }
}
