package io.agentserver.service.a2a;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an A2A event stands in a task's step log: event {@code k} (0, 1, …) of the events that step {@code seq}
 * gives, written {@code "seq.k"}. Derived from the stored log only, so a replay gives every event the same id; the
 * order of ids is the order of events.
 */
record EventId(long seq, int k) implements Comparable<EventId> {

    private static final Pattern SHAPE = Pattern.compile("(0|[1-9][0-9]{0,17})\\.(0|[1-9][0-9]{0,8})");

    EventId {
        if (seq < 0 || k < 0) {
            throw new IllegalArgumentException("seq and k are never negative");
        }
    }

    /** An id a client sent back ({@code Last-Event-ID}); empty when it is not of our shape. */
    static Optional<EventId> parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EventId(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
    }

    @Override
    public int compareTo(EventId other) {
        int bySeq = Long.compare(seq, other.seq);
        return bySeq != 0 ? bySeq : Integer.compare(k, other.k);
    }

    @Override
    public String toString() {
        return seq + "." + k;
    }
}
