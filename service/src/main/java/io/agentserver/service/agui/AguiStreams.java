package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PartialOutputFeed;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.Connection;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.ConnectionWork;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.json.Json;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.sse.SseStream;
import io.agentserver.service.sse.SseTicker;
import io.agentserver.service.store.AguiRun;
import io.agentserver.service.store.PartialOutputStore;
import io.agentserver.service.stream.StepCursor;
import io.agentserver.service.stream.StepFeed;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Serves AG-UI event streams: a stream is a {@link StepCursor} from the start of the log whose sink is an
 * {@link AguiView}, written by an {@link SseStream} on the request's own thread. Each stream counts as a connection
 * of its user (the same cap as the sockets) and ends after its AG-UI run's last event, or when its reader goes away
 * or stops reading; closing it never stops the run.
 */
final class AguiStreams {

    private static final System.Logger LOG = System.getLogger(AguiStreams.class.getName());

    /** A stream admitted for a user (a connection slot held) and not yet serving. */
    final class Slot {
        private final SseStream sse;
        private final String userId;
        private boolean served;

        private Slot(SseStream sse, String userId) {
            this.sse = sse;
            this.userId = userId;
        }

        /** Gives the slot back without having served (the request was refused after admission). */
        void release() {
            if (!served) {
                registry.remove(sse.id());
            }
        }
    }

    private final ConnectionRegistry registry;
    private final int maxPerUser;
    private final StepFeed feed;
    private final PartialOutputFeed partialFeed;
    private final PartialOutputStore partials;
    private final SseTicker ticker;
    private final AguiSettings settings;
    private final AguiMetrics metrics;
    private final ServiceMetrics serviceMetrics;

    AguiStreams(ConnectionRegistry registry, int maxPerUser, StepFeed feed, PartialOutputFeed partialFeed,
                PartialOutputStore partials, SseTicker ticker, AguiSettings settings, AguiMetrics metrics,
                ServiceMetrics serviceMetrics) {
        this.serviceMetrics = serviceMetrics;
        this.registry = registry;
        this.maxPerUser = maxPerUser;
        this.feed = feed;
        this.partialFeed = partialFeed;
        this.partials = partials;
        this.ticker = ticker;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Holds a connection slot for {@code userId}; empty when the user holds the most, or the replica drains. */
    Optional<Slot> admit(String userId) {
        SseStream sse = new SseStream(registry.nextId(Protocol.AGUI), settings.writerMaxBytes());
        if (!registry.tryAdd(new Connection(sse.id(), Protocol.AGUI, userId, sse), maxPerUser)) {
            return Optional.empty();
        }
        return Optional.of(new Slot(sse, userId));
    }

    /**
     * Streams AG-UI run {@code run} on {@code res}, skipping the first {@code skip} events, until the run's last
     * event was written or the reader left. Blocks the calling (request) thread for as long.
     */
    void serve(Slot slot, ServerResponse res, AguiRun run, long skip, boolean streaming, boolean live) {
        slot.served = true;
        SseStream sse = slot.sse;
        if (live) {
            // a stream that started its run: its steps' time from stored to written is the delivery latency
            sse.onStepWritten(stored -> serviceMetrics.stepDelivered(Protocol.AGUI,
                    Duration.ofMillis(Math.max(0, System.currentTimeMillis() - stored))));
        }
        ConnectionWork work = new ConnectionWork(sse.id());
        AguiView view = new AguiView(run.interactionId(), new AguiRenderer(run), sse, skip, streaming, partials, work,
                new AguiView.Listener() {
                    @Override
                    public void eventsQueued(int count) {
                        metrics.events(run.agent(), count);
                    }

                    @Override
                    public void runEnded() {
                        sse.finish();
                    }
                });
        StepCursor cursor = null;
        Subscription parts = null;
        SseStream.End end = SseStream.End.ABORTED;
        metrics.opened(run.agent(), skip > 0);
        LOG.log(Level.INFO, "agui stream open conn=" + sse.id() + " user=" + slot.userId + " run=" + run.runId()
                + " interaction=" + run.interactionId() + (skip > 0 ? " after=" + skip : ""));
        try {
            OutputStream out = open(res);
            view.open();
            if (streaming) {
                parts = partialFeed.subscribe(run.interactionId(), view::partStored, () -> { });
            }
            cursor = feed.open(run.interactionId(), 0, view, work);
            ticker.add(sse);
            end = sse.drain(out);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "agui stream failed conn=" + sse.id() + ": " + e);
            sse.abort();
        } finally {
            view.close();
            ticker.remove(sse);
            if (cursor != null) {
                cursor.close();
            }
            if (parts != null) {
                parts.close();
            }
            work.finish(() -> { });
            registry.remove(sse.id());
            metrics.closed(run.agent());
            if (end == SseStream.End.SLOW) {
                metrics.slowReader(run.agent());
            }
            LOG.log(Level.INFO, "agui stream end conn=" + sse.id() + " run=" + run.runId() + " end="
                    + end.name().toLowerCase() + " bytes=" + sse.bytesWritten());
        }
    }

    /** A stream of two events that ends at once: the run could not start ({@code RUN_STARTED}, {@code RUN_ERROR}). */
    void refuse(Slot slot, ServerResponse res, String threadId, String runId, String message, String code) {
        slot.served = true;
        try {
            OutputStream out = open(res);
            List<ObjectNode> events = List.of(AguiEvents.runStarted(threadId, runId), AguiEvents.runError(message, code));
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                text.append("id: ").append(i + 1).append("\ndata: ").append(Json.write(events.get(i))).append("\n\n");
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "agui refusal not written: " + e);
        } finally {
            registry.remove(slot.sse.id());
        }
    }

    private static OutputStream open(ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        OutputStream out = res.outputStream();
        try {
            out.flush(); // the status and headers go out now: the client's fetch resolves before the first event
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
