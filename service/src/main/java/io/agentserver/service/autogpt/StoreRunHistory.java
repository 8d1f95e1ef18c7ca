package io.agentserver.service.autogpt;

import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link OwnRunHistory} from the step log, encoded by the same {@link AutoGptRunPublisher} that published it. */
public final class StoreRunHistory implements OwnRunHistory {

    private static final System.Logger LOG = System.getLogger(StoreRunHistory.class.getName());

    private final Stores stores;
    private final AutoGptRunPublisher publisher;

    public StoreRunHistory(Stores stores, AutoGptRunPublisher publisher) {
        this.stores = stores;
        this.publisher = publisher;
    }

    /** Empty as well when the database cannot say: the subscription then works as a plain live view. */
    @Override
    public OptionalLong lastSeq(String userId, String interactionId) {
        try {
            return ours(userId, interactionId).isPresent()
                    ? OptionalLong.of(stores.steps().nextSeq(interactionId) - 1)
                    : OptionalLong.empty();
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "no gap filling for interaction=" + interactionId + ": " + e.getMessage());
            return OptionalLong.empty();
        }
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
