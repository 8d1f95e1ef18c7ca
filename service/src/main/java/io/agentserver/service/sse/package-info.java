/**
 * Server-Sent Events on Helidon's streamed response: the equivalent, for an HTTP response, of the socket writer of
 * {@code hub/}. An {@link io.agentserver.service.sse.SseStream} only queues bytes, capped in bytes, with the same two
 * kinds of producer as a socket's writer (must-go-out {@code send}, which over the cap ends the stream as a slow
 * reader; flow-controlled {@code offer}, which says "no room" past half of it and tells the producer when the queue
 * has drained); the request's own thread writes them. The {@link io.agentserver.service.sse.SseTicker} sends the
 * keep-alive comments and ends streams whose reader stopped reading (no byte written for the stall timeout while
 * bytes wait), so a reader that never reads holds at most the cap, for a bounded time.
 */
package io.agentserver.service.sse;
