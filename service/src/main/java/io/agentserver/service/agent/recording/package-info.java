/**
 * Recordings: a finished run exported as one JSON file (its parameters, steps and workspace), and the agent
 * that plays such a file back as a new interaction that streams like a live run.
 */
package io.agentserver.service.agent.recording;
