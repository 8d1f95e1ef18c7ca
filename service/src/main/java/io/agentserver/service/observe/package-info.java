/**
 * What operators see: Prometheus metrics in text format and health — liveness (the process serves
 * requests) and readiness (the database, and Redis when configured, are reachable).
 */
package io.agentserver.service.observe;
