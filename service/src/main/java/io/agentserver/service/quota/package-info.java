/**
 * Per-user limits on what runs may cost, the same on every replica (the counts live in the database, see
 * {@link io.agentserver.service.store.UsageStore}): {@link io.agentserver.service.quota.RunAdmission} decides at
 * each run start whether the user may start it (concurrent runs, runs per hour, and the agents the shared guest
 * user may use), and {@link io.agentserver.service.quota.TokenLedger} hands each run a
 * {@link io.agentserver.service.quota.RunBudget} that counts the model tokens it spends against a per-run and a
 * per-day limit and reports them as spend metrics by agent and user class. Agents that cost nothing (the demo
 * and the recording player by default) are not metered.
 */
package io.agentserver.service.quota;
