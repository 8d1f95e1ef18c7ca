/**
 * Agents served elsewhere over the Agent Protocol v1 (AutoGPT's classic and Forge agents, the official
 * SDKs): a run creates a remote task with the goal and executes its steps until the last, showing each as
 * an XAgent inner step, its artifacts as workspace files and a step that asks for input as a human-help
 * step whose reply becomes the next step's input. Configured per agent name from {@code AGENTS_<NAME>_URL}.
 */
package io.agentserver.service.agent.protocol;
