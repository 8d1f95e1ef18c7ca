package io.agentserver.service.testing;

import io.agentserver.service.store.Step;
import io.agentserver.service.store.StepStore;
import io.agentserver.service.store.Stores;

import java.util.ArrayList;
import java.util.List;

/** A test's look at a whole step log, read page by page as the service reads it. */
public final class StoredSteps {

    private StoredSteps() {
    }

    public static List<Step> all(Stores stores, String interactionId) {
        return all(stores.steps(), interactionId);
    }

    public static List<Step> all(StepStore steps, String interactionId) {
        List<Step> all = new ArrayList<>();
        List<Step> page;
        while (!(page = steps.page(interactionId, all.size(), 100, Long.MAX_VALUE)).isEmpty()) {
            all.addAll(page);
        }
        return all;
    }
}
