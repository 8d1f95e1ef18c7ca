/**
 * XAgent's wire protocol as a view of the step log: the sockets {@code /ws/base}, {@code /ws/recorder},
 * {@code /ws/replay} and {@code /ws/share}, their 7-key frames, and the form-encoded HTTP routes an XAgent
 * client calls around them. Unlike XAgent, steps are pushed as they are stored, each exactly once and in
 * order, and the socket is closed after the final frame.
 */
package io.agentserver.service.xagent;
