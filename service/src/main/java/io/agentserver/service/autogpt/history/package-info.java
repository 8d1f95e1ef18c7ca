/**
 * A short, bounded history of every AutoGPT execution's events, so that a {@code /ws} client that reconnects
 * can ask for what it missed ({@code since} in its subscribe). In production a capped Redis Stream per
 * execution with a TTL ({@code XADD MAXLEN ~ N} + {@code EXPIRE}), shared by every replica; in memory when
 * there is no Redis. {@link io.agentserver.service.autogpt.history.HistoryRecorder} writes it from the same
 * executor channels the subscribers read, and hands each recorded event with its id to the local sockets
 * that recover.
 */
package io.agentserver.service.autogpt.history;
