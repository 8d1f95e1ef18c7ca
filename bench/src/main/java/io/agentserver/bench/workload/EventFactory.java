package io.agentserver.bench.workload;

import io.agentserver.bench.client.Stamp;

/**
 * AutoGPT {@code node_execution_update} events as the executor publishes them, carrying the send stamp and a
 * filler of the requested size in {@code output_data}.
 */
final class EventFactory {
    private final String filler;

    EventFactory(int payloadBytes) {
        this.filler = "x".repeat(Math.max(0, payloadBytes));
    }

    String nodeEvent(String user, String graph, String exec, long seq, long sentNanos) {
        return "{\"user_id\":\"" + user + "\",\"graph_id\":\"" + graph + "\",\"graph_version\":1,"
                + "\"graph_exec_id\":\"" + exec + "\",\"node_exec_id\":\"ne-" + seq + "\",\"node_id\":\"n1\","
                + "\"block_id\":\"b1\",\"status\":\"COMPLETED\",\"input_data\":{},"
                + "\"output_data\":{" + Stamp.member(seq, sentNanos) + ",\"filler\":[\"" + filler + "\"]},"
                + "\"add_time\":\"2024-07-05T09:37:10.972000Z\",\"queue_time\":null,\"start_time\":null,"
                + "\"end_time\":null,\"event_type\":\"node_execution_update\"}";
    }
}
