/**
 * AG-UI, the Agent–User Interaction Protocol ({@code protocol/agui.md}): one more view of the step log. A POST
 * starts (or resumes) a stored run and answers with its events as Server-Sent Events; a stream is a step cursor whose
 * sink ({@link io.agentserver.service.agui.AguiView}) renders steps, and the streamed model output stored before
 * them, into AG-UI events ({@link io.agentserver.service.agui.AguiRenderer}: text messages, tool calls and results,
 * the plan and workspace as a state snapshot and RFC 6902 deltas, interrupts for human input). Rendering is a pure
 * function of what is stored, so events are numbered deterministically: a client that lost its stream rejoins with
 * {@code Last-Event-ID} on any replica and gets exactly the events after it, with their ids.
 */
package io.agentserver.service.agui;
