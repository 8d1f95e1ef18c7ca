/**
 * One dependent resource per object an AgentServer owns. Each class only builds the desired
 * object from the spec (Java Operator SDK creates, matches, updates and deletes it); the names,
 * labels and environment come from {@code model}. The generated credentials are created once and
 * never rewritten. {@link io.agentserver.operator.dependent.ReferencedSecrets} watches the user's
 * Secrets so that a change to one rolls the pods.
 */
package io.agentserver.operator.dependent;
