/**
 * The built-in LLM agent: it drives any OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama,
 * LiteLLM, llama.cpp's server) with tool calling and shows its work in XAgent's step vocabulary — a plan,
 * inner steps each with one real tool call on the run's workspace or the human, a submit and a refinement
 * per subtask, then {@code finished}. Upstream errors end the run with a {@code failed} step that says why.
 */
package io.agentserver.service.agent.llm;
