package io.agentserver.service.store;

import java.util.List;

/** The {@code args} of each client {@code data} frame, in arrival order. */
public interface ParameterStore {

    void add(String interactionId, String argsJson);

    List<String> list(String interactionId);
}
