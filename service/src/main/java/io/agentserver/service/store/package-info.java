/**
 * Durable state: users, interactions, the parameters a client sent, the per-interaction step log and
 * workspace files. Interfaces here are what the rest of the service depends on; the JDBC
 * implementations run the same versioned migrations on H2 and PostgreSQL, so any replica can serve any
 * interaction from the shared database.
 */
package io.agentserver.service.store;
