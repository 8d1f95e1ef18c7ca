/**
 * Connections on this replica, whatever their protocol. Each socket has one
 * {@link io.agentserver.service.hub.ConnectionSession}: an explicit state ({@code OPEN → CLOSING → CLOSED})
 * changed atomically, the only writer of the socket (its {@link io.agentserver.service.hub.OutboundWriter}: a
 * bounded queue drained by the connection's own virtual thread, the only code that calls
 * {@code WsSession.send}), overflow handling (1013, then the connection is dropped), the per-socket message
 * rate, and the end of the connection however it comes (close frame, TCP drop, failed write), after which the
 * protocol's end handler runs once, off the writer thread. The
 * {@link io.agentserver.service.hub.ConnectionRegistry} knows every open connection (for metrics, the
 * per-user connection limit, notifications and the drain at shutdown); limits are in
 * {@link io.agentserver.service.hub.HubSettings}, close codes in {@link io.agentserver.service.hub.CloseCodes}.
 */
package io.agentserver.service.hub;
