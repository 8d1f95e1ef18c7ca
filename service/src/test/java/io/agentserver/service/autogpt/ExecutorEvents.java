package io.agentserver.service.autogpt;

/**
 * Messages exactly as AutoGPT's executor publishes them on Redis ({@code {"payload":<event>}}, compact
 * JSON), with an extra field {@code x_future} that a newer executor might add and that must reach clients.
 */
final class ExecutorEvents {

    private ExecutorEvents() {
    }

    static String executionChannel(String user, String graph, String exec) {
        return "execution_event/" + user + "/" + graph + "/" + exec;
    }

    static String graphExecutionEvent(String user, String graph, String exec, String status) {
        return "{\"id\":\"" + exec + "\",\"user_id\":\"" + user + "\",\"graph_id\":\"" + graph + "\","
                + "\"graph_version\":3,\"inputs\":{\"topic\":\"cats\"},\"credential_inputs\":null,"
                + "\"nodes_input_masks\":null,\"preset_id\":null,\"status\":\"" + status + "\","
                + "\"started_at\":\"2024-07-05T09:37:10.972000Z\",\"ended_at\":null,"
                + "\"stats\":{\"cost\":0,\"node_count\":1},\"outputs\":{},\"x_future\":[1,2.50,{\"k\":true}],"
                + "\"event_type\":\"graph_execution_update\"}";
    }

    static String nodeExecutionEvent(String user, String graph, String exec, String nodeExec, String filler) {
        return "{\"user_id\":\"" + user + "\",\"graph_id\":\"" + graph + "\",\"graph_version\":3,"
                + "\"graph_exec_id\":\"" + exec + "\",\"node_exec_id\":\"" + nodeExec + "\",\"node_id\":\"n1\","
                + "\"block_id\":\"b1\",\"status\":\"COMPLETED\",\"input_data\":{\"a\":1},"
                + "\"output_data\":{\"result\":[\"" + filler + "\"]},\"add_time\":\"2024-07-05T09:37:10Z\","
                + "\"queue_time\":null,\"start_time\":null,\"end_time\":null,\"x_future\":\"kept\","
                + "\"event_type\":\"node_execution_update\"}";
    }

    static String envelope(String event) {
        return "{\"payload\":" + event + "}";
    }

    static String notification(String user, String event) {
        return "{\"payload\":{\"user_id\":\"" + user + "\",\"payload\":{\"type\":\"info\",\"event\":\"" + event
                + "\",\"x_future\":1}}}";
    }
}
