package io.agentserver.service.hub;

import io.agentserver.service.json.Utf8;

/**
 * Joins the fragments of one client text message and enforces the size limit in UTF-8 bytes, as the
 * message travels on the wire. Helidon hands a listener fragments; one assembler per connection, used only
 * from that connection's thread.
 *
 * <p>A message that grows past the limit is refused whole: {@link TooBig} is answered once, and every
 * fragment after it is {@link Discarded}, including the refused message's tail and anything that follows.
 * The connection is closing by then (1009), and no part of an oversized message may run as a command.
 */
public final class MessageAssembler {

    /** What one fragment amounts to. */
    public sealed interface Result {
    }

    /** The last fragment arrived: {@code message} is the whole message. */
    public record Complete(String message) implements Result {
    }

    /** More fragments are to come. */
    public record Partial() implements Result {
    }

    /** The message grew past the limit: close the connection with 1009. Answered once per connection. */
    public record TooBig(long bytes) implements Result {
    }

    /** The connection refused a message already; this fragment is dropped unread. */
    public record Discarded() implements Result {
    }

    private static final Partial PARTIAL = new Partial();
    private static final Discarded DISCARDED = new Discarded();

    private final int maxBytes;
    private final StringBuilder fragments = new StringBuilder();
    private long bytes;
    private boolean refused;

    public MessageAssembler(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Adds a fragment; {@code last} when Helidon says it ends the message. */
    public Result add(String fragment, boolean last) {
        if (refused) {
            return DISCARDED;
        }
        bytes += utf8Length(fragment);
        if (bytes > maxBytes) {
            long seen = bytes;
            refused = true;
            fragments.setLength(0);
            fragments.trimToSize();
            bytes = 0;
            return new TooBig(seen);
        }
        if (!last) {
            fragments.append(fragment);
            return PARTIAL;
        }
        String message;
        if (fragments.isEmpty()) {
            message = fragment;
        } else {
            message = fragments.append(fragment).toString();
            fragments.setLength(0);
        }
        bytes = 0;
        return new Complete(message);
    }

    static long utf8Length(CharSequence text) {
        return Utf8.length(text);
    }
}
