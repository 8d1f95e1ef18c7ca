package io.agentserver.service.hub;

/** What the registry knows of an open socket. */
public record Connection(String id, Protocol protocol, String userId, ConnectionSession session) {
}
