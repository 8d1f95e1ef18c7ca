package io.agentserver.operator.model;

/**
 * A key of a user-provided Secret that the agent server pods read.
 *
 * @param field the spec field that names it, for messages
 * @param name  the Secret's name
 * @param key   the key inside it
 */
public record SecretReference(String field, String name, String key) {

    /** A message a human can act on when the Secret or its key is missing. */
    public String missingMessage(boolean secretExists) {
        return secretExists
                ? "Secret \"" + name + "\" has no key \"" + key + "\" (referenced by " + field + ")"
                : "Secret \"" + name + "\" (referenced by " + field + ") does not exist in this namespace";
    }
}
