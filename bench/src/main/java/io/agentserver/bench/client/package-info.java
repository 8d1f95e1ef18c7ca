/**
 * Netty WebSocket clients for the load generator: many sockets on few event-loop threads (epoll on Linux), text
 * frames handed to the listener straight from the read buffer, and the send stamp read without decoding — so that
 * the client costs less per frame than the servers it measures.
 */
package io.agentserver.bench.client;
