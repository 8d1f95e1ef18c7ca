/**
 * Server-Sent Events responses with the same delivery rules as the sockets' writer: one
 * {@link io.agentserver.service.web.sse.SseStream} per response is its only writer, queues events as bytes capped in
 * bytes, lets producers that can wait (step cursors) pause at half the cap and resume when it drained, ends a
 * client that does not read (over the cap) instead of buffering for it, and keeps an idle stream alive with comment
 * lines. It knows nothing of any protocol: views render their events with
 * {@link io.agentserver.service.web.sse.SseEvents} and hand over bytes. Helidon 4.1.2's own SSE module is not
 * served by the registry this project builds from; a response's output stream is all this needs.
 */
package io.agentserver.service.web.sse;
