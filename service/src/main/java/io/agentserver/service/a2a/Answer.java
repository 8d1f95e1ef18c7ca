package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** What a method answers: a result, an error, or a stream of the task's events (SSE). */
sealed interface Answer permits Answer.Result, Answer.Failure, Answer.Stream {

    record Result(JsonNode result) implements Answer {
    }

    record Failure(RpcError error) implements Answer {
    }

    /**
     * The task first, then its events from step {@code fromSeq} on, skipping those up to {@code after}.
     *
     * @param snapshot the task as the stream's first response shows it
     */
    record Stream(TaskReader.Snapshot snapshot, long fromSeq, Optional<EventId> after) implements Answer {
    }

    static Answer failure(RpcError error) {
        return new Failure(error);
    }
}
