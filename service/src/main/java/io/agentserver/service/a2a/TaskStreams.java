package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.hub.ConnectionWork;
import io.agentserver.service.json.Json;
import io.agentserver.service.sse.SseStream;
import io.agentserver.service.sse.SseTicker;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepCursor;
import io.agentserver.service.stream.StepFeed;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Serves an {@link Answer.Stream}: the SSE response, the task as its first event, then a {@link TaskStreamView} on a
 * step cursor from the answer's position. The response's own thread drains the stream (the {@link SseStream} the
 * AG-UI view uses too); the view renders on a serial executor of its own; the {@link SseTicker} sends keep-alive
 * comments and ends a stream whose client stopped reading.
 */
final class TaskStreams {

    private static final System.Logger LOG = System.getLogger(TaskStreams.class.getName());

    private final Stores stores;
    private final StepFeed feed;
    private final TaskReader reader;
    private final TaskEvents events;
    private final A2aServerSettings settings;
    private final SseTicker ticker;
    private final TokenExpiry tokens;
    private final A2aMetrics metrics;

    TaskStreams(Stores stores, StepFeed feed, TaskReader reader, TaskEvents events, A2aServerSettings settings,
                SseTicker ticker, TokenExpiry tokens, A2aMetrics metrics) {
        this.stores = stores;
        this.feed = feed;
        this.reader = reader;
        this.events = events;
        this.settings = settings;
        this.ticker = ticker;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /**
     * Writes the stream until it ends; on the request's thread. {@code open} is the request's connection: the server
     * draining finishes the stream. A stream opened with an expiring token ends when the token expires (after what is
     * queued), as a socket is closed then; its client resumes with a fresh token and {@code Last-Event-ID}.
     */
    void serve(String streamId, JsonNode requestId, Answer.Stream answer, ServerResponse res, OpenHandle open,
               Optional<Instant> tokenExpiresAt) {
        TaskRef task = answer.snapshot().ref();
        SseStream out = new SseStream(streamId, settings.writerMaxBytes());
        ObjectNode first = Json.object();
        first.set("task", reader.task(answer.snapshot(), OptionalInt.empty(), true));
        out.send(SseFrames.event(Optional.empty(), Json.write(TaskStreamView.response(requestId, first))));
        ConnectionWork work = new ConnectionWork(streamId);
        TaskStreamView view = new TaskStreamView(task, requestId, out, work, step -> events.lazily(task, step),
                (lastSeen, status) -> trailer(task, lastSeen, status), answer.after(), metrics::streamEvent);
        open.onEnd(out::finish);
        TokenExpiry.Watch expiry = tokenExpiresAt.map(at -> tokens.at(at, out::finish)).orElse(TokenExpiry.Watch.NONE);
        work.execute(() -> {
            try {
                StepCursor cursor = feed.open(task.taskId(), answer.fromSeq(), view, work);
                view.attach(cursor);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a2a stream could not open task=" + task.taskId() + ": " + e);
                out.abort();
            }
        });
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        metrics.streamOpened();
        ticker.add(out);
        SseStream.End end = SseStream.End.ABORTED;
        try {
            end = out.drain(res.outputStream());
        } finally {
            ticker.remove(out);
            expiry.cancel();
            view.streamEnded();
            work.finish(() -> { });
            metrics.streamClosed(end);
            LOG.log(Level.DEBUG, "a2a stream ended conn=" + streamId + " task=" + task.taskId() + " end=" + end);
        }
    }

    /** The event a final status adds after the log's last step. */
    private Optional<TaskEvent> trailer(TaskRef task, Optional<Step> lastSeen, InteractionStatus status) {
        Optional<Interaction> interaction = stores.interactions().find(task.taskId());
        if (interaction.isEmpty()) {
            return Optional.empty();
        }
        Optional<Step> last = lastSeen;
        Optional<LogHead> head = stores.interactions().head(task.taskId());
        if (head.isPresent() && head.get().lastSeq() >= 0
                && (last.isEmpty() || last.get().seq() != head.get().lastSeq())) {
            last = stores.steps().page(task.taskId(), head.get().lastSeq(), 1, Long.MAX_VALUE).stream().findFirst();
        }
        return events.trailer(task, last, status, interaction.get().message(), interaction.get().updateTime());
    }
}
