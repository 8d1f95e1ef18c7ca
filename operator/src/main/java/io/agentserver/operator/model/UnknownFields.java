package io.agentserver.operator.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields of an object as stored that this operator's classes do not know: present in the raw JSON,
 * gone once it was read into the typed spec and written back. A CRD upgraded before the operator adds
 * such fields; they are ignored (the operator reads what it knows) and reported.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /**
     * @param path  where both nodes sit, e.g. {@code spec}
     * @param raw   the object as the API server stores it
     * @param known the same object read into the operator's classes and written back
     * @return the paths of fields in {@code raw} that {@code known} lacks, e.g. {@code spec.service.sessionAffinity}
     */
    public static List<String> of(String path, JsonNode raw, JsonNode known) {
        List<String> unknown = new ArrayList<>();
        collect(path, raw, known, unknown);
        return unknown;
    }

    private static void collect(String path, JsonNode raw, JsonNode known, List<String> unknown) {
        if (raw == null || known == null) {
            return;
        }
        if (raw.isObject() && known.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = raw.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path + "." + field.getKey();
                if (!known.has(field.getKey())) {
                    if (!field.getValue().isNull()) {
                        unknown.add(at);
                    }
                } else {
                    collect(at, field.getValue(), known.get(field.getKey()), unknown);
                }
            }
        } else if (raw.isArray() && known.isArray()) {
            for (int i = 0; i < Math.min(raw.size(), known.size()); i++) {
                collect(path + "[" + i + "]", raw.get(i), known.get(i), unknown);
            }
        }
    }
}
