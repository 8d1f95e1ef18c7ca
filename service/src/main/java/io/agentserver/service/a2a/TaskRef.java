package io.agentserver.service.a2a;

/**
 * What every event of a task repeats: its id (the interaction id), its context, the goal it was given (the
 * {@code running} step shows it) and the agent that runs it.
 */
record TaskRef(String taskId, String contextId, String goal, String agent) {
}
