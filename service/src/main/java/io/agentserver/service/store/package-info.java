/**
 * Durable state: users, interactions, the parameters a client sent, the per-interaction step log and
 * workspace files. Interfaces here are what the rest of the service depends on; the {@code Jdbc*}
 * implementations go through Helidon DbClient (JDBC, HikariCP pool) with bound parameters only.
 * {@link io.agentserver.service.store.Database#open Database.open} runs the versioned Flyway migrations
 * in {@code db/migration}, which use only types both H2 2.2 and PostgreSQL accept ({@code TEXT},
 * {@code BYTEA}, {@code TIMESTAMP WITH TIME ZONE} holding UTC instants), so any replica can serve any
 * interaction from the shared database and a single node runs on an embedded H2 file. Concurrent
 * replicas agree through the database alone: conditional updates for status transitions and run leases,
 * and unique keys on the step log, which surface as {@link io.agentserver.service.store.DuplicateKeyException}.
 */
package io.agentserver.service.store;
