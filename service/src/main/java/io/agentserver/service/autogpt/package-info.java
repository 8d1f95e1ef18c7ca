/**
 * The AutoGPT subscription protocol. Its core is pure values and functions: the method names, the decoding
 * of client frames into {@link io.agentserver.service.autogpt.ClientCommand}s with AutoGPT's exact
 * error texts, the encoding of server frames (five keys, fixed order, {@code null} written out,
 * event payloads spliced in as published), the channel keys subscribers are grouped by, the Redis
 * channel names and patterns AutoGPT executors publish to together with the decoding of their
 * messages into ready-to-send frames, and the mapping of our own runs onto AutoGPT's graph and node
 * execution events. These are pure: no I/O. The {@code /ws} endpoint, the hub and the broker wire
 * these pieces together: the socket ({@code AutoGptSocket}, mounted by {@code AutoGptProtocol}), this
 * replica's hub ({@code ExecutionFanOut}: in AutoGPT's classic scheme one broker pattern per bus for the whole
 * replica, routed in memory; in its sharded scheme, {@link io.agentserver.service.autogpt.AutoGptBus#SHARDED}, one
 * sharded channel per watched execution, graph and user), the {@code ExecutionDirectory} that resolves the graph of
 * an execution a client subscribes to and refuses what is not the client's (with
 * {@link io.agentserver.service.autogpt.lookup} for AutoGPT's own database), and the run observer that publishes
 * our runs as AutoGPT executions ({@code AutoGptRunPublisher}) live here too.
 */
package io.agentserver.service.autogpt;
