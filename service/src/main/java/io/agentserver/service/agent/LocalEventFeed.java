package io.agentserver.service.agent;

import io.agentserver.service.bus.Subscription;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands every stored step and status change of this replica's runs straight to this replica's viewers of the
 * interaction, on the appending thread, before the broker's notice goes out: a local viewer pays no broker round
 * trip and no encoding or decoding. The broker notice is still published (viewers on other replicas need it);
 * a viewer that hears both drops the later one by its sequence number. A listener must not block or throw.
 */
public final class LocalEventFeed {

    private static final System.Logger LOG = System.getLogger(LocalEventFeed.class.getName());

    private final Map<String, List<Consumer<InteractionEvent>>> listeners = new ConcurrentHashMap<>();

    /** Hears the events of {@code interactionId} appended on this replica from now on, until closed. */
    public Subscription subscribe(String interactionId, Consumer<InteractionEvent> listener) {
        listeners.compute(interactionId, (id, current) -> {
            List<Consumer<InteractionEvent>> list = current == null ? new CopyOnWriteArrayList<>() : current;
            list.add(listener);
            return list;
        });
        return () -> listeners.computeIfPresent(interactionId, (id, current) -> {
            current.remove(listener);
            return current.isEmpty() ? null : current;
        });
    }

    /** Hands {@code event} to this replica's viewers of its interaction, on the caller's thread. */
    void publish(InteractionEvent event) {
        List<Consumer<InteractionEvent>> current = listeners.get(event.interactionId());
        if (current == null) {
            return;
        }
        for (Consumer<InteractionEvent> listener : current) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // The viewer still gets the event from the broker's notice or its store re-read.
                LOG.log(Level.WARNING, "local viewer failed interaction=" + event.interactionId(), e);
            }
        }
    }
}
