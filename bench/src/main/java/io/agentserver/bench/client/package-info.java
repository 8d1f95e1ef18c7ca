/** Netty WebSocket clients for the load generator: many sockets on few event-loop threads. */
package io.agentserver.bench.client;
