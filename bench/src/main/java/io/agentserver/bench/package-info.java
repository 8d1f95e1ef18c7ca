/**
 * The load generator's command line: one command per workload of issue 8 (A–F) and one for all, each
 * starting the systems under test as child processes on loopback and printing ours beside nchan's and the
 * Node ws+Redis gateway's.
 */
package io.agentserver.bench;
