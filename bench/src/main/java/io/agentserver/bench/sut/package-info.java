/**
 * The systems under test, each a child process on a free loopback port: our server (with a Redis it starts)
 * nginx with nchan, and the Node ws+Redis gateway (with a Redis of its own); and how the load generator publishes to each.
 */
package io.agentserver.bench.sut;
