package io.agentserver.bench.micro;

/** Inputs shared by the microbenchmarks: an AutoGPT node event as the executor publishes it (~600 bytes). */
final class Samples {
    static final String USER = "3e53486c-cf57-477e-ba2a-cb02dc828e1a";
    static final String GRAPH = "a9a4b3c1-graph";
    static final String EXEC = "5c1e0f2a-exec";
    static final String CHANNEL = "execution_event/" + USER + "/" + GRAPH + "/" + EXEC;
    static final String SECRET = "bench-secret-that-is-long-enough-for-hs256!";

    private Samples() {
    }

    static String nodeEvent(long seq) {
        return "{\"user_id\":\"" + USER + "\",\"graph_id\":\"" + GRAPH + "\",\"graph_version\":3,"
                + "\"graph_exec_id\":\"" + EXEC + "\",\"node_exec_id\":\"ne-" + seq + "\",\"node_id\":\"n1\","
                + "\"block_id\":\"b1\",\"status\":\"COMPLETED\",\"input_data\":{\"a\":1},"
                + "\"output_data\":{\"result\":[\"" + "x".repeat(100) + "\"]},\"add_time\":\"2024-07-05T09:37:10.972000Z\","
                + "\"queue_time\":null,\"start_time\":null,\"end_time\":null,\"event_type\":\"node_execution_update\"}";
    }

    static String envelope(String event) {
        return "{\"payload\":" + event + "}";
    }
}
