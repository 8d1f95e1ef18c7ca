package io.agentserver.operator.model;

import io.agentserver.operator.api.AgentServer;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code app.kubernetes.io/*} labels every owned object carries, and the informer selectors. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public static final String APP_NAME = "agent-server";
    public static final String OPERATOR_NAME = "agent-server-operator";

    /** Selects everything this operator owns. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR_NAME;

    public static final String SERVER_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=server";
    public static final String CREDENTIALS_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=credentials";
    public static final String REDIS_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=redis";
    public static final String POSTGRES_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=postgres";
    public static final String DATABASE_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=database";

    private Labels() {
    }

    /** Full label set of an object of this component. */
    public static Map<String, String> of(AgentServer owner, Component component) {
        Map<String, String> labels = new LinkedHashMap<>(selector(owner, component));
        labels.put(PART_OF, APP_NAME);
        labels.put(MANAGED_BY, OPERATOR_NAME);
        return labels;
    }

    /** The stable subset used as pod selector (never change it: Deployment selectors are immutable). */
    public static Map<String, String> selector(AgentServer owner, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, APP_NAME);
        labels.put(INSTANCE, owner.getMetadata().getName());
        labels.put(COMPONENT, component.label());
        return labels;
    }
}
