/**
 * Connections on this replica, whatever their protocol. Each socket has one
 * {@link io.agentserver.service.hub.ConnectionSession}: an explicit state ({@code OPEN → CLOSING → CLOSED})
 * changed atomically, the only writer of the socket (its {@link io.agentserver.service.hub.OutboundWriter}: a
 * bounded lock-free queue drained, burst by burst, by one virtual thread at a time that writes the frames it
 * finds queued in one socket write; no thread while the socket is idle), overflow handling (1013, then the
 * connection is dropped), the per-socket message rate, and the end of the connection however it comes (close
 * frame, TCP drop, failed write), after which the protocol's end handler runs once, off the writer. A message
 * going to many sockets is encoded once as a complete WebSocket frame, a
 * {@link io.agentserver.service.hub.TextFrame}, whose bytes every socket writes as they are. The
 * {@link io.agentserver.service.hub.ConnectionRegistry} knows every open connection (for metrics, the per-user
 * connection limit, notifications and the drain at shutdown); limits are in
 * {@link io.agentserver.service.hub.HubSettings}, close codes in {@link io.agentserver.service.hub.CloseCodes}.
 */
package io.agentserver.service.hub;
