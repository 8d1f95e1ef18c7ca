/**
 * Remote agents spoken to over A2A (Agent2Agent) 1.0, JSON-RPC binding: {@code AGENTS_<NAME>_PROTOCOL=a2a} makes
 * {@code AGENTS_<NAME>_URL} an A2A agent (its card URL, or a base URL whose card is at
 * {@code .well-known/agent-card.json}). A run reads the card, sends the goal as one user message (streamed when
 * the card says {@code streaming}, else sent to return at once and polled with {@code GetTask}) and maps the
 * remote task to XAgent steps: a {@code start} plan with one subtask named after the card; each status message
 * an {@code inner} step; each artifact a workspace file shown in an {@code inner} step; {@code INPUT_REQUIRED} an
 * {@code ask_for_human_help} step whose reply goes back as a message on the same remote task; a completed task
 * {@code finished}; a failed, rejected or cancelled task, or one that needs authorization, {@code failed}. A
 * stream that breaks is subscribed to again ({@code SubscribeToTask}); our run stopping cancels the remote task
 * ({@code CancelTask}). Every call carries {@code A2A-Version: 1.0}; answers, events and files are size-capped;
 * redirects stay within the origin asked. JSON is Jackson: the official Java SDK is not served by the registry
 * reachable here (see README).
 */
package io.agentserver.service.agent.a2a;
