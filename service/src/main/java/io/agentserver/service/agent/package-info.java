/**
 * The run-time of interactions. A run executes on its own virtual thread behind the {@link
 * io.agentserver.service.agent.Agent} interface and talks to the world only through its {@link
 * io.agentserver.service.agent.RunContext}: emit a step (stored with the next sequence number, then
 * published), wait for a human reply, notice a stop. The {@link io.agentserver.service.agent.RunCoordinator}
 * owns the runs of this replica, routes replies and stops that arrive at any replica over the broker (and
 * re-reads the database for those whose notice was lost); {@link io.agentserver.service.agent.RunLeases} renews
 * their leases on the database's clock, fences a run whose lease is gone, and ends the runs of replicas that
 * vanished.
 */
package io.agentserver.service.agent;
