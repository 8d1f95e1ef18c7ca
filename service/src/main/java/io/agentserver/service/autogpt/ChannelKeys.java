package io.agentserver.service.autogpt;

/**
 * The channel keys subscribers are grouped by, exactly as AutoGPT names them and echoes them in the
 * {@code channel} of acks and events. The user id always comes first, so a key can only ever match
 * subscriptions made by that user.
 */
public final class ChannelKeys {

    private ChannelKeys() {
    }

    /** {@code U|graph_exec#E}: subscribers of one graph execution. */
    public static String execution(String userId, String graphExecId) {
        return userId + "|graph_exec#" + graphExecId;
    }

    /** {@code U|graph#G|executions}: subscribers of every execution of one graph. */
    public static String graph(String userId, String graphId) {
        return userId + "|graph#" + graphId + "|executions";
    }
}
