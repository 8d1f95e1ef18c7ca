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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run on this replica: the context its agent sees, and the state the coordinator steers.
 *
 * <p>Fencing: the run writes only while it holds its lease. Each append is refused by the database once the
 * lease moved on, and locally once the last successful renewal is older than the lease lasts (the database may
 * have handed the run to another replica by then).
 */
final class LocalRun implements RunContext {

    private final RunRequest request;
    private final Stores stores;
    private final StepLog log;
    private final String leaseOwner;
    private final Duration leaseDuration;
    private final Duration defaultReplyTimeout;
    private final Duration recheckInterval;
    /** Shared by the replica's runs: see {@link RunSettings#maxConcurrentAppends()}. */
    private final Semaphore appendSlots;
    private final Map<String, CompletableFuture<Void>> pendingReplies = new ConcurrentHashMap<>();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private final AtomicReference<StopCause> stopCause = new AtomicReference<>();
    /** Serialises appends (sequence numbers); never a monitor, as it is held across a database write. */
    private final ReentrantLock appendLock = new ReentrantLock();
    private long nextSeq;
    private final long firstSeq;
    /** The workspace as steps list it, or null until read; only this run writes its workspace. Under appendLock. */
    private String workspaceFiles;
    private volatile Step lastStep;
    /** System.nanoTime() until which the lease is surely ours: the last renewal's send time plus the lease. */
    private volatile long leaseSureUntil;
    /** The model's output as it streams, stored before the step it precedes (see {@link RunLiveOutput}). */
    private final RunLiveOutput liveOutput;

    /**
     * @param claimedAtNanos {@code System.nanoTime()} sampled before the lease was claimed: the lease is surely
     *                       this replica's for one lease duration from then, never from a later moment
     */
    LocalRun(RunRequest request, Stores stores, StepLog log, RunSettings settings, Semaphore appendSlots,
             long firstSeq, long claimedAtNanos) {
        this.request = request;
        this.stores = stores;
        this.log = log;
        this.leaseOwner = settings.replicaId();
        this.leaseDuration = settings.leaseDuration();
        this.defaultReplyTimeout = settings.humanReplyTimeout();
        this.recheckInterval = settings.recheckInterval();
        this.appendSlots = appendSlots;
        this.nextSeq = firstSeq;
        this.firstSeq = firstSeq;
        this.leaseSureUntil = claimedAtNanos + leaseDuration.toNanos();
        this.liveOutput = log.liveOutput(request.interaction().interactionId(), leaseOwner, this::flushLiveOutput);
    }

    Interaction interaction() {
        return request.interaction();
    }

    RunRequest request() {
        return request;
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

    /**
     * Appends regardless of a stop: for the run-time's own final step. Never after the lease was lost.
     *
     * @throws LeaseLostException when the lease is no longer (surely) held; the run is stopped
     */
    Step append(StepDraft draft) {
        // Waits before the step exists: when runs produce faster than the replica delivers, they slow down here
        // instead of queueing stored steps in front of their sockets. Every holder finishes (the store and the
        // broker answer within their timeouts), so the wait ends; not interruptible, like the append itself.
        appendSlots.acquireUninterruptibly();
        appendLock.lock();
        try {
            checkLease();
            Step step;
            try {
                if (workspaceFiles == null) {
                    workspaceFiles = log.workspaceFileList(interactionId());
                }
                liveOutput.flush(nextSeq); // what streamed before this step is stored before it
                step = log.append(interaction(), nextSeq, draft, leaseOwner, workspaceFiles);
            } catch (LeaseLostException e) {
                leaseLost();
                throw e;
            }
            nextSeq++;
            lastStep = step;
            return step;
        } finally {
            appendLock.unlock();
            appendSlots.release();
        }
    }

    @Override
    public LiveOutput liveOutput() {
        return liveOutput;
    }

    /** Stores the live output pending, as preceding the next step; on the flush timer's thread. */
    private void flushLiveOutput() {
        appendLock.lock();
        try {
            if (!fenced() && !leaseLapsed()) {
                liveOutput.flush(nextSeq);
            }
        } finally {
            appendLock.unlock();
        }
    }

    Optional<Step> lastStep() {
        return Optional.ofNullable(lastStep);
    }

    /** The seq of the last step stored (-1: none); a status change is shown after it. */
    long lastSeq() {
        Step last = lastStep;
        return last == null ? firstSeq - 1 : last.seq();
    }

    @Override
    public JsonNode awaitReply(Step step, Duration timeout) throws InterruptedException {
        if (!step.askForHumanHelp()) {
            throw new IllegalStateException("step " + step.nodeId() + " was not emitted as awaiting a reply");
        }
        Duration limit = timeout == null ? defaultReplyTimeout : timeout;
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        pendingReplies.put(step.nodeId(), arrived);
        transition(InteractionStatus.RUNNING, InteractionStatus.ASK_FOR_HUMAN_HELP, "waiting for a human reply");
        try {
            return waitForStoredReply(step.nodeId(), arrived, System.nanoTime() + limit.toNanos(), limit);
        } finally {
            pendingReplies.remove(step.nodeId());
            if (!stopped()) {
                transition(InteractionStatus.ASK_FOR_HUMAN_HELP, InteractionStatus.RUNNING, "running");
            }
        }
    }

    /** A status change of this run, fenced: a run that lost its lease changes nothing. */
    private void transition(InteractionStatus from, InteractionStatus to, String message) {
        checkLease();
        log.transition(interaction(), List.of(from), to, message, leaseOwner, lastSeq());
    }

    /**
     * Waits for the reply's notice, re-reading the store every {@code recheckInterval}: a notice lost on the
     * broker delays the run by at most that long.
     */
    private JsonNode waitForStoredReply(String nodeId, CompletableFuture<Void> arrived, long deadline, Duration limit)
            throws InterruptedException {
        while (true) {
            if (stopped()) {
                throw new RunStoppedException(stopCause.get().message());
            }
            // sampled before the read: a notice is published only after its reply was stored
            boolean noticed = arrived.isDone() && !arrived.isCompletedExceptionally();
            Optional<JsonNode> reply = storedReply(nodeId);
            if (reply.isPresent()) {
                return reply.get();
            }
            if (noticed) {
                throw new IllegalStateException("reply notice without a stored reply");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RunFailure("no human reply within " + limit.toSeconds() + " s; the run was ended");
            }
            try {
                arrived.get(Math.min(left, recheckInterval.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // no notice yet: read the store again
            } catch (ExecutionException e) {
                throw new RunStoppedException(e.getCause().getMessage());
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
        appendLock.lock();
        try {
            checkLease();
            if (!stores.workspace().putAsLeaseHolder(interactionId(), name, content, leaseOwner)) {
                leaseLost();
                throw new LeaseLostException(interactionId(), leaseOwner);
            }
        } finally {
            // also after a failed write, which may have stored the file all the same
            workspaceFiles = null;
            appendLock.unlock();
        }
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

    // ---- lease -------------------------------------------------------------------------------------------

    /** A renewal sent at {@code sentAtNanos} succeeded: the lease lasts at least a lease duration from then. */
    void leaseRenewed(long sentAtNanos) {
        leaseSureUntil = Math.max(leaseSureUntil, sentAtNanos + leaseDuration.toNanos());
    }

    /** True once the lease may have ended without this replica knowing (renewals kept failing). */
    boolean leaseLapsed() {
        return System.nanoTime() - leaseSureUntil >= 0;
    }

    /** The lease is gone: stop, and write nothing more. */
    void leaseLost() {
        leaseSureUntil = System.nanoTime() - 1;
        stop(StopCause.LEASE_LOST);
    }

    boolean fenced() {
        return stopCause.get() == StopCause.LEASE_LOST;
    }

    private void checkLease() {
        if (fenced() || leaseLapsed()) {
            leaseLost();
            throw new LeaseLostException(interactionId(), leaseOwner);
        }
    }
}
