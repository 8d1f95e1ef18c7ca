package io.agentserver.service.xagent;

import io.agentserver.service.store.InteractionStore;

/** The delivery cursor kept in the interactions table, like XAgent's {@code is_send}, but one number. */
public final class StoreDeliveryCursor implements DeliveryCursor {

    private final InteractionStore interactions;

    public StoreDeliveryCursor(InteractionStore interactions) {
        this.interactions = interactions;
    }

    @Override
    public long resumeFrom(String interactionId) {
        return interactions.deliveredSeq(interactionId) + 1;
    }

    @Override
    public void delivered(String interactionId, long seq) {
        interactions.updateDeliveredSeq(interactionId, seq);
    }
}
