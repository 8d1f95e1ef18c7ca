package io.agentserver.service.hub;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.Headers;

/**
 * What a socket's upgrade request said: its path, its query (decoded leniently, as browsers send it) and headers.
 */
public record UpgradeRequest(String path, Parameters query, Headers headers) {

    /** A query parameter, or "" when absent. */
    public String param(String name) {
        return query.contains(name) ? query.get(name) : "";
    }

    /** The last segment of the path ({@code /ws/base/{id}} → the id). */
    public String lastSegment() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
