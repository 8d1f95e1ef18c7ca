/**
 * The built-in LLM agent: it drives any OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama,
 * LiteLLM, llama.cpp's server) as real models answer — tool calls, parallel tool calls, or plain text — and
 * shows its work in XAgent's step vocabulary: a plan, inner steps each with one real tool call on the run's
 * workspace or the human, a submit and a refinement per subtask, then {@code finished} with what the run spent.
 * Answers stream in (partial output reaches the run's {@link io.agentserver.service.agent.LiveOutput});
 * {@code tool_choice} is used where the server takes it and left out where it refuses it. Upstream errors end
 * the run with a {@code failed} step that says why, without the server's address or key.
 */
package io.agentserver.service.agent.llm;
