/**
 * Connections on this replica. Every socket gets one {@link io.agentserver.service.hub.OutboundWriter}: a
 * bounded queue drained by the connection's own virtual thread, the only code that calls
 * {@code WsSession.send}, so a slow client never stalls a publisher or another client. The
 * {@link io.agentserver.service.hub.ConnectionRegistry} knows every open connection (for metrics, per-user
 * notifications and draining at shutdown); close codes live in {@link io.agentserver.service.hub.CloseCodes}.
 */
package io.agentserver.service.hub;
