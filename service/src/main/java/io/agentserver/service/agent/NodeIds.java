package io.agentserver.service.agent;

import java.util.UUID;

/** Identifiers in XAgent's shape: 32 lowercase hex characters. */
public final class NodeIds {

    private NodeIds() {
    }

    public static String next() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static boolean valid(String id) {
        return id != null && id.matches("[0-9a-f]{32}");
    }
}
