package io.agentserver.service.autogpt;

import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Stores;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link OwnRunHistory} from the step log, encoded by the same {@link AutoGptRunPublisher} that published it. */
public final class StoreRunHistory implements OwnRunHistory {

    private final Stores stores;
    private final AutoGptRunPublisher publisher;

    public StoreRunHistory(Stores stores, AutoGptRunPublisher publisher) {
        this.stores = stores;
        this.publisher = publisher;
    }

    @Override
    public OptionalLong lastSeq(String userId, String interactionId) {
        return ours(userId, interactionId).isPresent()
                ? OptionalLong.of(stores.steps().nextSeq(interactionId) - 1)
                : OptionalLong.empty();
    }

    @Override
    public List<PublishedEvent> after(String userId, String interactionId, long seq) {
        return ours(userId, interactionId)
                .map(interaction -> stores.steps().listFrom(interactionId, seq + 1).stream()
                        .map(step -> publisher.nodeEvent(interaction, step))
                        .toList())
                .orElse(List.of());
    }

    @Override
    public Optional<PublishedEvent> status(String userId, String interactionId) {
        return ours(userId, interactionId).map(publisher::statusEvent);
    }

    private Optional<Interaction> ours(String userId, String interactionId) {
        return stores.interactions().find(interactionId).filter(i -> i.userId().equals(userId));
    }
}
