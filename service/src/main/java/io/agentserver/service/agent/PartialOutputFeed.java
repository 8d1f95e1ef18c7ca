package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.PartialOutput;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Announces stored {@link PartialOutput}: to this replica's listeners on the storing thread, and to every replica
 * on a topic of its own ({@code agentserver:partial:<id>}), apart from the step notices, so that views that show
 * whole steps (XAgent, {@code /ws}) never hear it. Announced only after it was stored: a listener that misses a
 * notice reads the part from the store. Listeners must not block or throw.
 */
public final class PartialOutputFeed {

    private static final System.Logger LOG = System.getLogger(PartialOutputFeed.class.getName());

    private final EventBroker broker;
    private final Map<String, List<Consumer<PartialOutput>>> local = new ConcurrentHashMap<>();

    public PartialOutputFeed(EventBroker broker) {
        this.broker = broker;
    }

    /** Where the partial output of {@code interactionId} is announced to every replica. */
    public static String topic(String interactionId) {
        return "agentserver:partial:" + interactionId;
    }

    /**
     * Hears the parts of {@code interactionId} stored from now on, on this replica (handed over) and on others (over
     * the broker); a part may be heard twice, once each way. {@code resubscribed} runs when the broker lost notices.
     */
    public Subscription subscribe(String interactionId, Consumer<PartialOutput> listener, Runnable resubscribed) {
        local.compute(interactionId, (id, current) -> {
            List<Consumer<PartialOutput>> list = current == null ? new CopyOnWriteArrayList<>() : current;
            list.add(listener);
            return list;
        });
        Subscription remote = broker.subscribe(topic(interactionId), new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                decode(message).ifPresent(listener);
            }

            @Override
            public void resubscribed() {
                resubscribed.run();
            }
        });
        return () -> {
            remote.close();
            local.computeIfPresent(interactionId, (id, current) -> {
                current.remove(listener);
                return current.isEmpty() ? null : current;
            });
        };
    }

    /** Announces parts that were stored. */
    void publish(List<PartialOutput> parts) {
        for (PartialOutput part : parts) {
            List<Consumer<PartialOutput>> listeners = local.get(part.interactionId());
            if (listeners != null) {
                for (Consumer<PartialOutput> listener : listeners) {
                    try {
                        listener.accept(part);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "partial output listener failed interaction=" + part.interactionId(), e);
                    }
                }
            }
            if (!broker.publish(topic(part.interactionId()), encode(part))) {
                LOG.log(Level.DEBUG, () -> "partial output notice not published interaction=" + part.interactionId()
                        + "; readers catch up from the store");
            }
        }
    }

    static String encode(PartialOutput part) {
        ObjectNode node = Json.object();
        node.put("interaction_id", part.interactionId());
        node.put("part", part.part());
        node.put("before_seq", part.beforeSeq());
        node.put("kind", part.kind());
        node.set("data", Json.read(part.dataJson()));
        node.put("time_us", part.createTime().getEpochSecond() * 1_000_000 + part.createTime().getNano() / 1_000);
        return Json.write(node);
    }

    static Optional<PartialOutput> decode(String message) {
        return Json.parse(message).filter(JsonNode::isObject).flatMap(node -> {
            if (!node.path("interaction_id").isTextual() || !node.path("part").canConvertToLong()
                    || !node.path("kind").isTextual() || !node.path("data").isObject()) {
                return Optional.empty();
            }
            long micros = node.path("time_us").asLong();
            return Optional.of(new PartialOutput(node.path("interaction_id").asText(), node.path("part").asLong(),
                    node.path("before_seq").asLong(), node.path("kind").asText(), Json.write(node.path("data")),
                    Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000)));
        });
    }
}
