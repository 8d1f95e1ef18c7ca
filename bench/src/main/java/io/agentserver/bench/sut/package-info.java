/**
 * The systems under test, each a child process on a free loopback port: our server (with a Redis it starts)
 * and nginx with nchan; and how the load generator publishes to each.
 */
package io.agentserver.bench.sut;
