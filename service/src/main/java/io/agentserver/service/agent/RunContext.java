package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.Step;

import java.time.Duration;
import java.util.Optional;

/** What a running agent can see and do. One context per run; used only from the run's thread. */
public interface RunContext {

    String interactionId();

    String userId();

    /** The {@code args} of the start frame ({@code goal} and anything else the client sent). */
    JsonNode args();

    /** {@code auto} or {@code manual}. In manual mode the agent asks for a reply before each subtask and inner step. */
    String mode();

    default boolean manual() {
        return "manual".equals(mode());
    }

    /** The start frame's {@code file_list}: uploads the client attached. */
    JsonNode files();

    /** Stores the step with the next sequence number, then publishes it. */
    Step emit(StepDraft draft);

    /**
     * Marks {@code step} as waiting, then blocks until a human answers it and returns the reply's
     * {@code args}. Ends the run as failed when nobody answers within {@code timeout} (null: the
     * configured default).
     */
    JsonNode awaitReply(Step step, Duration timeout) throws InterruptedException;

    /**
     * Emits {@code draft}; in manual mode it waits for the human (as {@link #awaitReply} with the default
     * timeout) and returns the reply. In auto mode it returns empty without waiting.
     */
    default Optional<JsonNode> emitForReview(StepDraft draft) throws InterruptedException {
        if (!manual()) {
            emit(draft);
            return Optional.empty();
        }
        return Optional.of(awaitReply(emit(draft.awaitingReply()), null));
    }

    /** Writes a file into the interaction's workspace; it shows in later frames' workspace file list. */
    void writeFile(String name, byte[] content);

    /** Reads an uploaded file by the uuid from the start frame's file list. */
    Optional<byte[]> upload(String uuid);

    /** True once the run was asked to stop; long work should check it between steps. */
    boolean stopped();

    /** Sleeps unless the run is stopped; throws {@link RunStoppedException} when it is. */
    void pause(Duration duration) throws InterruptedException;

    /**
     * Where the agent reports a model's output while it streams in (see {@link LiveOutput}); views that show
     * partial output listen here. Nothing by default.
     */
    default LiveOutput liveOutput() {
        return LiveOutput.NONE;
    }
}
