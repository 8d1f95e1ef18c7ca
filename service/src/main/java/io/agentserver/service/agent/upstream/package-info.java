/**
 * Calls to a remote agent's HTTP server, made safe to expose to users: the one {@link
 * io.agentserver.service.agent.upstream.UpstreamClient} per configured server reads every response body with a
 * byte cap (in memory, to a temporary file, or as a capped stream for server-sent events), refuses a body
 * declared or found to be larger before it is read whole, follows redirects only within the server's own origin
 * (a redirect elsewhere — cloud metadata, an admin port — is refused, never fetched), bounds each call by a
 * deadline and abandons it when the run stops, and turns every failure into an {@link
 * io.agentserver.service.agent.upstream.UpstreamFailure}: a metric kind (counted once, in
 * {@code agentserver_agent_upstream_errors_total{agent,kind}}) and a message a user may read — it names the
 * agent, the call and what went wrong, never the server's address, credentials or raw body (a short error
 * detail from a JSON body is kept, redacted). Used by the Agent Protocol agent and the A2A client agent.
 */
package io.agentserver.service.agent.upstream;
