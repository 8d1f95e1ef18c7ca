package io.agentserver.service.agent.llm;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the model server turned out not to accept, remembered for the life of the agent (one server per agent):
 * some Ollama, llama.cpp and vLLM versions answer a request carrying {@code tool_choice} (or
 * {@code stream_options}) with 400. Such a request is sent again without the field; when that works, the field
 * is left out of every later request and the agent relies on reading text answers instead.
 */
final class ServerQuirks {

    private static final System.Logger LOG = System.getLogger(ServerQuirks.class.getName());

    /** A request field a server may refuse, and its name on the wire. */
    enum OptionalField {
        TOOL_CHOICE("tool_choice"),
        STREAM_OPTIONS("stream_options");

        final String wire;

        OptionalField(String wire) {
            this.wire = wire;
        }
    }

    private final String server;
    private final Set<OptionalField> refused = EnumSet.noneOf(OptionalField.class);

    ServerQuirks(String server) {
        this.server = server;
    }

    synchronized boolean accepts(OptionalField field) {
        return !refused.contains(field);
    }

    /** A request without {@code fields} worked after one with them was refused: never send them again. */
    synchronized void refuse(Set<OptionalField> fields) {
        for (OptionalField field : fields) {
            if (refused.add(field)) {
                LOG.log(Level.INFO, "model server refuses a field; requests leave it out from now on server=" + server
                        + " field=" + field.wire);
            }
        }
    }

    /**
     * Which of the fields {@code sent} a 400 answer blames: those its message names, or, when it names none, all
     * of them (the retry without them tells).
     */
    static Set<OptionalField> blamed(String errorText, Set<OptionalField> sent) {
        String text = errorText == null ? "" : errorText.toLowerCase(Locale.ROOT);
        Set<OptionalField> named = EnumSet.noneOf(OptionalField.class);
        for (OptionalField field : sent) {
            if (text.contains(field.wire) || text.contains(field.wire.replace('_', ' '))) {
                named.add(field);
            }
        }
        return named.isEmpty() ? (sent.isEmpty() ? EnumSet.noneOf(OptionalField.class) : EnumSet.copyOf(sent)) : named;
    }
}
