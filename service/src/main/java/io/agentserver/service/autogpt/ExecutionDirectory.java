package io.agentserver.service.autogpt;

import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.autogpt.lookup.GraphLookup;
import io.agentserver.service.store.InteractionStore;
import io.agentserver.service.store.StoreException;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * Which graph an execution a client wants to watch belongs to, and whether it is the client's to watch. The sharded
 * scheme needs the graph for the channel name ({@code execution_event/{U/G}/exec/E}), and a client's
 * {@code subscribe_graph_execution} names only the execution. Two sources, told apart by the id's shape alone:
 * <ul>
 *   <li>our own runs ({@code graph_exec_id} = interaction id, 32 lowercase hex characters): our store, the graph
 *       being the run's agent;</li>
 *   <li>AutoGPT's executions (UUIDs with dashes): AutoGPT's database ({@link GraphLookup}), never our store.</li>
 * </ul>
 * An execution that is unknown, deleted or another user's is {@link Resolution.Refused refused} with a clear error
 * (AutoGPT's own server answers nothing and logs). The classic scheme needs no graph: without AutoGPT's database it
 * checks nothing, as before ({@link Resolution.Unchecked}); with it, the lookup is the access check that AutoGPT's
 * classic server never made.
 */
public final class ExecutionDirectory implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExecutionDirectory.class.getName());
    static final String LOOKUP_FAILED = "Graph execution lookup failed, please retry";

    /** What a subscription to one execution may do. */
    public sealed interface Resolution {

        /** The graph is known and the execution is the user's. */
        record Found(String graphId, boolean ownRun) implements Resolution {
        }

        /** Classic scheme without AutoGPT's database: subscribe as AutoGPT does, unchecked. */
        record Unchecked() implements Resolution {
        }

        /** Not the user's to watch, or not known (yet); {@code error} is the text of the error frame. */
        record Refused(String error) implements Resolution {
        }

        /** The graph id when found. */
        default Optional<String> graph() {
            return this instanceof Found found ? Optional.of(found.graphId()) : Optional.empty();
        }
    }

    private final AutoGptBus scheme;
    private final InteractionStore interactions;
    private final Optional<GraphLookup> autogpt;

    /**
     * @param interactions our store, for our own runs
     * @param autogpt      AutoGPT's executions, when its database is configured
     */
    public ExecutionDirectory(AutoGptBus scheme, InteractionStore interactions, Optional<GraphLookup> autogpt) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.interactions = Objects.requireNonNull(interactions, "interactions");
        this.autogpt = Objects.requireNonNull(autogpt, "autogpt");
        if (scheme == AutoGptBus.SHARDED && autogpt.isEmpty()) {
            LOG.log(Level.WARNING, "AUTOGPT_BUS=sharded without AUTOGPT_DATABASE_URL: subscribe_graph_execution can"
                    + " only resolve this server's own runs; AutoGPT's executions are refused as not found");
        }
    }

    /** The classic scheme without AutoGPT's database: every execution is {@link Resolution.Unchecked}, as before. */
    public static ExecutionDirectory unchecked() {
        return new ExecutionDirectory();
    }

    private ExecutionDirectory() {
        this.scheme = AutoGptBus.CLASSIC;
        this.interactions = null;
        this.autogpt = Optional.empty();
    }

    /** Blocks on a store or database read at most once (cached answers do not); never throws. */
    public Resolution resolve(String userId, String graphExecId) {
        if (scheme == AutoGptBus.CLASSIC && autogpt.isEmpty()) {
            return new Resolution.Unchecked();
        }
        if (NodeIds.valid(graphExecId)) {
            return ownRun(userId, graphExecId);
        }
        if (autogpt.isEmpty()) {
            return notFound(graphExecId);
        }
        try {
            return autogpt.get().graphOf(userId, graphExecId)
                    .<Resolution>map(graph -> new Resolution.Found(graph, false))
                    .orElseGet(() -> notFound(graphExecId));
        } catch (GraphLookup.LookupFailedException e) {
            LOG.log(Level.WARNING, "graph lookup failed user=" + userId + " exec=" + graphExecId + ": "
                    + e.getMessage());
            return new Resolution.Refused(LOOKUP_FAILED);
        }
    }

    private Resolution ownRun(String userId, String interactionId) {
        try {
            return interactions.find(interactionId)
                    .filter(interaction -> interaction.userId().equals(userId))
                    .<Resolution>map(interaction -> new Resolution.Found(AutoGptRunPublisher.graphId(interaction), true))
                    .orElseGet(() -> notFound(interactionId));
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "run lookup failed user=" + userId + " exec=" + interactionId + ": "
                    + e.getMessage());
            return new Resolution.Refused(LOOKUP_FAILED);
        }
    }

    /** Unknown and foreign executions get the same answer: whether another user's id exists is not told. */
    static Resolution.Refused notFound(String graphExecId) {
        return new Resolution.Refused("Graph execution #" + graphExecId + " not found");
    }

    @Override
    public void close() {
        autogpt.ifPresent(GraphLookup::close);
    }
}
