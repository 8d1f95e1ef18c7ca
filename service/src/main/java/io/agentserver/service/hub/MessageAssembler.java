package io.agentserver.service.hub;

/**
 * Joins the fragments of one client text message and enforces the size limit. Helidon hands a listener
 * fragments; one assembler per connection, used only from that connection's thread.
 */
public final class MessageAssembler {

    private final int maxChars;
    private final StringBuilder fragments = new StringBuilder();

    public MessageAssembler(int maxChars) {
        this.maxChars = maxChars;
    }

    /** Adds a fragment; false when the message grew past the limit (what was gathered is dropped). */
    public boolean add(String fragment) {
        if (fragments.length() + fragment.length() > maxChars) {
            fragments.setLength(0);
            return false;
        }
        fragments.append(fragment);
        return true;
    }

    /** The whole message, once its last fragment was added; starts the next one. */
    public String take() {
        String message = fragments.toString();
        fragments.setLength(0);
        return message;
    }
}
