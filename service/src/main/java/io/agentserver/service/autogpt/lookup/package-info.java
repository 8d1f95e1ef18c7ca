/**
 * The graph of an AutoGPT execution, read from AutoGPT's own PostgreSQL ({@code AgentGraphExecution}): the sharded
 * scheme's channel of an execution names its graph, and a client's {@code subscribe_graph_execution} names only the
 * execution. Read-only (a read-only session on a small pool; a role with {@code SELECT} on that one table is
 * enough), bounded by a timeout, and cached: an execution's graph never changes. The same lookup is the access check
 * AutoGPT's own socket server left out: a user may only watch their own executions.
 */
package io.agentserver.service.autogpt.lookup;
