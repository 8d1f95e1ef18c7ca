package io.agentserver.service.autogpt;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client frame on {@code /ws} asks for, as decoded by {@link SubscriptionCodec#decode(String)}.
 * Every frame decodes to exactly one of these; a frame the server must answer with an error frame
 * decodes to {@link Rejected}.
 */
public sealed interface ClientCommand {

    /** {@code heartbeat} with any data: answer {@link SubscriptionCodec#heartbeatReply()}. */
    record Heartbeat() implements ClientCommand {
    }

    /** Subscribe and unsubscribe: what {@link SocketSubscriptions} handles. */
    sealed interface SubscriptionCommand extends ClientCommand {
    }

    /**
     * {@code subscribe_graph_execution}: events of one graph execution. {@code since} is our recovery
     * extension (absent for every unchanged AutoGPT client): the cursor of the last event the client saw.
     */
    record SubscribeExecution(String graphExecId, Optional<String> since) implements SubscriptionCommand {
        public SubscribeExecution {
            Objects.requireNonNull(graphExecId, "graphExecId");
            Objects.requireNonNull(since, "since");
        }

        public SubscribeExecution(String graphExecId) {
            this(graphExecId, Optional.empty());
        }
    }

    /** {@code subscribe_graph_executions}: events of every execution of one graph. */
    record SubscribeGraph(String graphId) implements SubscriptionCommand {
        public SubscribeGraph {
            Objects.requireNonNull(graphId, "graphId");
        }
    }

    /** {@code unsubscribe}: stop the events of one graph execution. */
    record Unsubscribe(String graphExecId) implements SubscriptionCommand {
        public Unsubscribe {
            Objects.requireNonNull(graphExecId, "graphExecId");
        }
    }

    /**
     * {@code error} sent by the client: log it, send nothing. {@code dataJson} is the frame's
     * {@code data} as compact JSON ({@code "null"} when absent), capped for logging.
     */
    record ClientError(String dataJson) implements ClientCommand {
    }

    /** The frame is refused; answer {@link SubscriptionCodec#error(String)} with {@code errorText}. */
    record Rejected(String errorText) implements ClientCommand {
        /** Subscribe or unsubscribe whose {@code data} is null, missing, {@code {}}, {@code []} or {@code ""}. */
        public static final String DATA_MISSING = "Subscription data missing";
        /** Not JSON, not an object, no or unknown {@code method}, or a known key of the wrong type. */
        public static final String INVALID_FORMAT = "Invalid message format. Review the schema and retry";
        /** Subscribe or unsubscribe whose {@code data} has the wrong shape. */
        public static final String INVALID_DATA = "Invalid message data. Refer to the API schema";
        /** A server-to-client method ({@code graph_execution_event}, …) sent by a client. */
        public static final String NOT_PROCESSED = "Message type is not processed by the server";

        public Rejected {
            Objects.requireNonNull(errorText, "errorText");
        }
    }
}
