package io.agentserver.service.bus;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Local listeners per channel (or per pattern), reference-counted. Reads ({@link #topic}, {@link #topics}) are safe
 * from any thread; {@link #add} and {@link #remove} must be called under the owning broker's lock so that "first
 * listener" and "last listener gone" are decided together with the transport (un)subscribe they trigger.
 */
final class ListenerRegistry {

    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final boolean patterns;

    private ListenerRegistry(boolean patterns) {
        this.patterns = patterns;
    }

    static ListenerRegistry forChannels() {
        return new ListenerRegistry(false);
    }

    static ListenerRegistry forPatterns() {
        return new ListenerRegistry(true);
    }

    /** Adds a registration; returns its topic, whose {@link Topic#size()} is 1 if it was the first. */
    Topic add(String key, Registration registration) {
        Topic topic = topics.computeIfAbsent(key, k -> new Topic(k, patterns ? GlobPattern.compile(k) : null));
        topic.registrations.add(registration);
        return topic;
    }

    /** Removes a registration; returns true if it was the last one of its topic (the topic is then gone). */
    boolean remove(String key, Registration registration) {
        Topic topic = topics.get(key);
        if (topic == null || !topic.registrations.remove(registration)) {
            return false;
        }
        if (topic.registrations.isEmpty()) {
            topics.remove(key);
            return true;
        }
        return false;
    }

    /** The topic for an exact key, or null if no local listener has it. */
    Topic topic(String key) {
        return topics.get(key);
    }

    Collection<Topic> topics() {
        return topics.values();
    }

    int size() {
        return topics.size();
    }

    void clear() {
        topics.clear();
    }

    /** One channel or pattern with its local listeners. */
    static final class Topic {
        private final String key;
        private final GlobPattern pattern;
        private final List<Registration> registrations = new CopyOnWriteArrayList<>();
        private volatile Object transportState;

        private Topic(String key, GlobPattern pattern) {
            this.key = key;
            this.pattern = pattern;
        }

        String key() {
            return key;
        }

        /** The compiled pattern (pattern registries only). */
        GlobPattern pattern() {
            return pattern;
        }

        int size() {
            return registrations.size();
        }

        List<Registration> registrations() {
            return registrations;
        }

        /** Whatever the broker keeps per topic (Redis: the pending SUBSCRIBE). */
        Object transportState() {
            return transportState;
        }

        void transportState(Object state) {
            this.transportState = state;
        }
    }
}
