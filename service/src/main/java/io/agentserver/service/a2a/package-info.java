/**
 * Every agent of ours as an A2A 1.0 agent (Agent2Agent, JSON-RPC binding): an Agent Card per agent, and
 * {@code SendMessage}, {@code SendStreamingMessage}, {@code GetTask}, {@code ListTasks}, {@code CancelTask} and
 * {@code SubscribeToTask} at {@code /a2a/{agent}}. A task is one run (an interaction); its stream is one more view
 * of the step log, read through the core's step cursor: {@link io.agentserver.service.a2a.TaskStreamView} renders
 * each step into task status and artifact updates whose ids ({@code "seq.k"}) come from the stored log alone, so a
 * client that lost its stream resumes with {@code Last-Event-ID} on any replica and loses nothing. Bytes go out
 * through the byte-capped, flow-controlled {@link io.agentserver.service.sse.SseStream} AG-UI uses too; streams and
 * requests that wait count as connections of their user, as sockets do. The protocol facts and our contract are in
 * {@code shared/protocol/a2a.md}, part (a).
 */
package io.agentserver.service.a2a;
