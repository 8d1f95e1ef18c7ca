package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** One run on this replica: the context its agent sees, and the state the coordinator steers. */
final class LocalRun implements RunContext {

    private final RunRequest request;
    private final Stores stores;
    private final StepLog log;
    private final Duration defaultReplyTimeout;
    private final Map<String, CompletableFuture<Void>> pendingReplies = new ConcurrentHashMap<>();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private final AtomicReference<StopCause> stopCause = new AtomicReference<>();
    private final AtomicInteger viewers = new AtomicInteger(1);
    private long nextSeq;
    private volatile Step lastStep;

    LocalRun(RunRequest request, Stores stores, StepLog log, Duration defaultReplyTimeout, long firstSeq) {
        this.request = request;
        this.stores = stores;
        this.log = log;
        this.defaultReplyTimeout = defaultReplyTimeout;
        this.nextSeq = firstSeq;
    }

    Interaction interaction() {
        return request.interaction();
    }

    @Override
    public String interactionId() {
        return request.interaction().interactionId();
    }

    @Override
    public String userId() {
        return request.interaction().userId();
    }

    @Override
    public JsonNode args() {
        return request.args();
    }

    @Override
    public String mode() {
        return request.mode();
    }

    @Override
    public JsonNode files() {
        return request.files();
    }

    @Override
    public Step emit(StepDraft draft) {
        if (stopped()) {
            throw new RunStoppedException(stopCause.get().message());
        }
        return append(draft);
    }

    /** Appends regardless of a stop: for the run-time's own final step. */
    synchronized Step append(StepDraft draft) {
        Step step = log.append(interaction(), nextSeq, draft);
        nextSeq++;
        lastStep = step;
        return step;
    }

    Optional<Step> lastStep() {
        return Optional.ofNullable(lastStep);
    }

    @Override
    public JsonNode awaitReply(Step step, Duration timeout) throws InterruptedException {
        if (!step.askForHumanHelp()) {
            throw new IllegalStateException("step " + step.nodeId() + " was not emitted as awaiting a reply");
        }
        Duration limit = timeout == null ? defaultReplyTimeout : timeout;
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        pendingReplies.put(step.nodeId(), arrived);
        log.transition(interaction(), List.of(InteractionStatus.RUNNING), InteractionStatus.ASK_FOR_HUMAN_HELP,
                "waiting for a human reply");
        try {
            if (stopped()) {
                throw new RunStoppedException(stopCause.get().message());
            }
            // The reply may have been stored before we listened for its notice.
            if (storedReply(step.nodeId()).isEmpty()) {
                arrived.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            }
            return storedReply(step.nodeId())
                    .orElseThrow(() -> new IllegalStateException("reply notice without a stored reply"));
        } catch (TimeoutException e) {
            throw new RunFailure("no human reply within " + limit.toSeconds() + " s; the run was ended");
        } catch (ExecutionException e) {
            throw new RunStoppedException(e.getCause().getMessage());
        } finally {
            pendingReplies.remove(step.nodeId());
            if (!stopped()) {
                log.transition(interaction(), List.of(InteractionStatus.ASK_FOR_HUMAN_HELP),
                        InteractionStatus.RUNNING, "running");
            }
        }
    }

    private Optional<JsonNode> storedReply(String nodeId) {
        return stores.steps().findByNodeId(nodeId)
                .filter(Step::answered)
                .map(s -> Json.read(s.humanDataJson()));
    }

    @Override
    public void writeFile(String name, byte[] content) {
        stores.workspace().put(interactionId(), name, content);
    }

    @Override
    public Optional<byte[]> upload(String uuid) {
        return stores.workspace().findUpload(uuid)
                .filter(u -> u.userId().equals(userId()))
                .map(u -> u.content());
    }

    @Override
    public boolean stopped() {
        return stopCause.get() != null;
    }

    Optional<StopCause> stopCause() {
        return Optional.ofNullable(stopCause.get());
    }

    @Override
    public void pause(Duration duration) throws InterruptedException {
        if (stopped() || stopLatch.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new RunStoppedException(stopCause.get().message());
        }
    }

    /** Wakes the agent if it waits for this reply. Called from the broker's thread: must not block. */
    void replyArrived(String nodeId) {
        CompletableFuture<Void> pending = pendingReplies.get(nodeId);
        if (pending != null) {
            pending.complete(null);
        }
    }

    /** Wakes the agent for every reply that was stored while its notice did not arrive. */
    void recheckPendingReplies() {
        pendingReplies.keySet().forEach(nodeId -> {
            if (storedReply(nodeId).isPresent()) {
                replyArrived(nodeId);
            }
        });
    }

    /** Asks the agent to stop; the first cause wins. */
    void stop(StopCause cause) {
        if (stopCause.compareAndSet(null, cause)) {
            stopLatch.countDown();
            pendingReplies.values().forEach(f -> f.completeExceptionally(new RunStoppedException(cause.message())));
        }
    }

    /** @return viewers now watching */
    int viewerAttached() {
        return viewers.incrementAndGet();
    }

    /** @return viewers still watching */
    int viewerDetached() {
        return viewers.updateAndGet(v -> Math.max(0, v - 1));
    }

    int viewers() {
        return viewers.get();
    }
}
