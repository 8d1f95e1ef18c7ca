package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Owns the runs of this replica. Starts them on virtual threads under a database lease, routes replies and
 * stops that any replica publishes on a run's control topic (and re-reads the store for those whose notice was
 * lost), stops runs whose client vanished, and, through {@link RunLeases}, renews its leases and ends the runs
 * of replicas whose lease expired.
 */
public final class RunCoordinator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunCoordinator.class.getName());
    private static final Set<InteractionStatus> STARTABLE =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);
    private static final Set<InteractionStatus> ACTIVE =
            EnumSet.of(InteractionStatus.RUNNING, InteractionStatus.ASK_FOR_HUMAN_HELP);
    static final String START_FAILED = "the run could not start; please start it again";

    private final RunSettings settings;
    private final Stores stores;
    private final EventBroker broker;
    private final AgentCatalog agents;
    private final StepLog log;
    /** Per-user limits, asked once per start (see {@code quota/}). */
    private final Admission admission;
    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final RunLeases leases;
    private final RunViewers viewers;
    /** When each local run that stops when unwatched was first seen with no viewer (System.nanoTime()). */
    private final Map<String, Long> unwatchedSince = new ConcurrentHashMap<>();
    /** Runs appending a step right now; fair, so that no run waits behind later ones. */
    private final Semaphore appendSlots;
    /** Grace timers and the re-read of stops; never the lease work, which has its own threads. */
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-timers").factory());

    private record ActiveRun(LocalRun run, Subscription control, Thread thread) {
    }

    /** Whether a run may start: the hook of per-user limits ({@code quota/RunAdmission}). */
    @FunctionalInterface
    public interface Admission {
        Admission OPEN = request -> Outcome.DONE;

        Outcome admit(RunRequest request);
    }

    public RunCoordinator(RunSettings settings, Stores stores, EventBroker broker, AgentCatalog agents,
                          StepLog log) {
        this(settings, stores, broker, agents, log, Admission.OPEN);
    }

    public RunCoordinator(RunSettings settings, Stores stores, EventBroker broker, AgentCatalog agents,
                          StepLog log, Admission admission) {
        this.admission = admission;
        this.settings = settings;
        this.viewers = new RunViewers(stores.viewers(), settings.replicaId(), settings.viewerLease());
        this.stores = stores;
        this.broker = broker;
        this.agents = agents;
        this.log = log;
        this.appendSlots = new Semaphore(settings.maxConcurrentAppends(), true);
        this.leases = new RunLeases(settings, stores, log,
                () -> runs.values().stream().map(ActiveRun::run).toList(), runs::containsKey);
    }

    /**
     * Renews this replica's leases, ends runs whose replica vanished, and re-reads stops asked of local runs,
     * until {@link #close()}.
     */
    public RunCoordinator startMaintenance() {
        leases.start();
        long recheckEvery = settings.recheckInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> guarded("stop re-read", this::recheckStops),
                recheckEvery, recheckEvery, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> guarded("viewer check", this::stopAbandoned),
                recheckEvery, recheckEvery, TimeUnit.MILLISECONDS);
        return this;
    }

    public Outcome start(RunRequest request) {
        Interaction interaction = request.interaction();
        String id = interaction.interactionId();
        if (interaction.status().isFinal()) {
            return Outcome.refused("this interaction has ended; start a new one");
        }
        if (admission.admit(request) instanceof Outcome.Refused refused) {
            return refused;
        }
        // Sampled before the claim: the lease is surely ours for one lease duration from here, not from later.
        long claimedAt = System.nanoTime();
        if (runs.containsKey(id) || !stores.interactions().claimLease(id, settings.replicaId(),
                settings.leaseDuration())) {
            return Outcome.refused("a run is already active on this interaction");
        }
        boolean running = false;
        Subscription control = null;
        try {
            long firstSeq = stores.steps().nextSeq(id);
            if (!log.transition(interaction, STARTABLE, InteractionStatus.RUNNING, "running", settings.replicaId(),
                    firstSeq - 1)) {
                stores.interactions().releaseLease(id, settings.replicaId());
                return Outcome.refused("a run is already active on this interaction");
            }
            running = true;
            Agent agent = agents.resolve(request.agentName());
            LocalRun run = new LocalRun(request, stores, log, settings, appendSlots, firstSeq, claimedAt);
            if (request.echoGoal()) {
                run.append(StepDraft.of(StepStatus.RUNNING, "", null));
            }
            control = broker.subscribe(InteractionEvents.controlTopic(id), controlListener(run));
            Thread thread = Thread.ofVirtual().name("run-" + id).unstarted(() -> execute(agent, run));
            runs.put(id, new ActiveRun(run, control, thread));
            LOG.log(Level.INFO, "run started interaction=" + id + " user=" + interaction.userId()
                    + " agent=" + agent.name() + " mode=" + request.mode());
            thread.start();
            return Outcome.DONE;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "run start failed interaction=" + id, e);
            failStart(interaction, running, control);
            return Outcome.refused(START_FAILED);
        }
    }

    /** Undoes a start that failed half-way: the interaction ends failed with a final step, the lease is freed. */
    private void failStart(Interaction interaction, boolean running, Subscription control) {
        String id = interaction.interactionId();
        runs.remove(id);
        if (control != null) {
            control.close();
        }
        try {
            if (running) {
                Step failed = log.append(interaction, stores.steps().nextSeq(id), StepDraft.of(StepStatus.FAILED, "",
                        Json.mapper().getNodeFactory().textNode(START_FAILED)), settings.replicaId());
                log.transition(interaction, ACTIVE, InteractionStatus.FAILED, START_FAILED, settings.replicaId(),
                        failed.seq());
            }
        } catch (RuntimeException e) {
            // the database is failing too: with its lease released below, the reaper of any replica ends it
            LOG.log(Level.WARNING, "could not end the failed start interaction=" + id + ": " + e.getMessage());
        } finally {
            guarded("lease release", () -> stores.interactions().releaseLease(id, settings.replicaId()));
        }
    }

    private MessageListener controlListener(LocalRun run) {
        return new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                RunControl.decode(message).ifPresent(c -> control(run, c));
            }

            /** A reply's notice may have been lost while the broker was away; the reply itself is stored. */
            @Override
            public void resubscribed() {
                Thread.ofVirtual().name("run-recheck-" + run.interactionId()).start(run::recheckPendingReplies);
            }
        };
    }

    /** Stores a human reply to step {@code nodeId} and wakes the run, wherever it runs. */
    public Outcome reply(String interactionId, String nodeId, JsonNode args, JsonNode files) {
        Optional<Step> step = stores.steps().findByNodeId(nodeId);
        if (step.isEmpty() || !step.get().interactionId().equals(interactionId)) {
            return Outcome.refused("node_id " + nodeId + " is not a step of this interaction");
        }
        if (!stores.steps().recordHumanReply(nodeId, Json.write(args), Json.write(files))) {
            return Outcome.refused("step " + nodeId + " is not waiting for a reply");
        }
        broker.publish(InteractionEvents.controlTopic(interactionId), RunControl.encode(new RunControl.Reply(nodeId)));
        return Outcome.DONE;
    }

    /**
     * The client closed its socket: end the run as {@code closed}, wherever it runs. The stop is stored before
     * it is published, so that a lost notice delays it by at most the re-read interval.
     */
    public void stop(String interactionId) {
        try {
            stores.interactions().requestStop(interactionId);
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "stop not stored interaction=" + interactionId + ": " + e.getMessage());
        }
        broker.publish(InteractionEvents.controlTopic(interactionId),
                RunControl.encode(new RunControl.Stop(StopCause.CLIENT_CLOSED.name())));
    }

    /**
     * A viewer left on purpose: the run stops, wherever it runs, unless someone else still watches it (on any
     * replica).
     */
    public void stopUnlessWatched(String interactionId) {
        if (!viewers.watched(Set.of(interactionId)).contains(interactionId)) {
            stop(interactionId);
        }
    }

    /** This replica's viewers of runs. */
    public RunViewers viewers() {
        return viewers;
    }

    public boolean runsLocally(String interactionId) {
        return runs.containsKey(interactionId);
    }

    public int activeRuns() {
        return runs.size();
    }

    /** Ends every local run as failed with a final step, and waits for them briefly. */
    @Override
    public void close() {
        runs.values().forEach(r -> r.run().stop(StopCause.SHUTDOWN));
        for (ActiveRun r : runs.values()) {
            try {
                r.thread().join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        leases.close();
        timers.shutdownNow();
        viewers.close();
    }

    /** Stops renewing leases, reaping and re-reading, leaving runs and leases as they are: a replica that died. */
    void haltWithoutCleanup() {
        leases.close();
        timers.shutdownNow();
        viewers.close();
    }

    private void control(LocalRun run, RunControl control) {
        switch (control) {
            case RunControl.Reply(String nodeId) -> run.replyArrived(nodeId);
            case RunControl.Stop(String ignored) -> run.stop(StopCause.CLIENT_CLOSED);
        }
    }

    /**
     * Stops the local runs that belong to their viewers once none has watched them for the disconnect grace. When
     * the last viewer left is read from the store on every tick, so a viewer on any replica counts, and one that came
     * back in time resets the grace, even if it left again before this tick looked.
     */
    private void stopAbandoned() {
        List<String> owned = runs.values().stream().map(ActiveRun::run)
                .filter(r -> r.request().stopsWhenUnwatched()).map(LocalRun::interactionId).toList();
        unwatchedSince.keySet().retainAll(owned);
        if (owned.isEmpty()) {
            return;
        }
        Map<String, Duration> unwatched = viewers.unwatchedFor(owned);
        long now = System.nanoTime();
        for (String id : owned) {
            Duration unwatchedFor = unwatched.get(id);
            if (unwatchedFor != null) {
                unwatchedSince.remove(id);
                if (unwatchedFor.isZero()) {
                    continue; // watched now
                }
            } else {
                // no viewer on record (its rows were purged): counted from when this replica first saw that
                unwatchedFor = Duration.ofNanos(now - unwatchedSince.computeIfAbsent(id, k -> now));
            }
            ActiveRun active = runs.get(id);
            if (active != null && unwatchedFor.compareTo(settings.disconnectGrace()) >= 0) {
                LOG.log(Level.INFO, "run abandoned interaction=" + id + " grace="
                        + settings.disconnectGrace().toSeconds() + "s");
                active.run().stop(StopCause.CLIENT_GONE);
            }
        }
    }

    /** Stops the local runs whose stop was stored while its notice did not arrive. */
    private void recheckStops() {
        if (runs.isEmpty()) {
            return;
        }
        for (String id : stores.interactions().stopsRequested(settings.replicaId())) {
            ActiveRun active = runs.get(id);
            if (active != null) {
                active.run().stop(StopCause.CLIENT_CLOSED);
            }
        }
    }

    private void execute(Agent agent, LocalRun run) {
        Interaction interaction = run.interaction();
        try {
            try {
                agent.run(run);
                Optional<Step> finalStep = run.lastStep().filter(s -> StepStatus.isFinal(s.status()));
                if (finalStep.isPresent()) {
                    // A stop that raced the final step changes nothing: the log already says how the run ended.
                    endAs(run, finalStep.get());
                } else if (run.stopped()) {
                    endStopped(run);
                } else {
                    run.append(StepDraft.of(StepStatus.FINISHED, "", Json.array()));
                    end(run, InteractionStatus.FINISHED, "finished");
                }
            } catch (RunStoppedException | InterruptedException e) {
                endStopped(run);
            } catch (RunFailure e) {
                fail(run, e.getMessage());
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "agent failed interaction=" + interaction.interactionId(), e);
                fail(run, "the agent failed unexpectedly; see the server log");
            }
        } catch (LeaseLostException e) {
            LOG.log(Level.WARNING, "run fenced interaction=" + interaction.interactionId()
                    + ": it lost its lease and wrote nothing more");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "run could not end interaction=" + interaction.interactionId()
                    + "; the lease reaper ends it", e);
        } finally {
            ActiveRun active = runs.remove(interaction.interactionId());
            if (active != null) {
                active.control().close();
            }
            guarded("lease release",
                    () -> stores.interactions().releaseLease(interaction.interactionId(), settings.replicaId()));
        }
    }

    private void endAs(LocalRun run, Step finalStep) {
        if (StepStatus.FAILED.equals(finalStep.status())) {
            end(run, InteractionStatus.FAILED, Json.read(finalStep.dataJson()).asText());
        } else {
            end(run, InteractionStatus.FINISHED, "finished");
        }
    }

    private void endStopped(LocalRun run) {
        StopCause cause = run.stopCause().orElse(StopCause.SHUTDOWN);
        if (cause == StopCause.LEASE_LOST) {
            throw new LeaseLostException(run.interactionId(), settings.replicaId());
        }
        if (cause == StopCause.SHUTDOWN) {
            fail(run, cause.message());
        } else {
            end(run, InteractionStatus.CLOSED, cause.message());
        }
    }

    private void fail(LocalRun run, String message) {
        run.append(StepDraft.of(StepStatus.FAILED, "", Json.mapper().getNodeFactory().textNode(message)));
        end(run, InteractionStatus.FAILED, message);
    }

    private void end(LocalRun run, InteractionStatus status, String message) {
        log.transition(run.interaction(), ACTIVE, status, message, settings.replicaId(), run.lastSeq());
        LOG.log(Level.INFO, "run ended interaction=" + run.interactionId() + " status=" + status.wire());
    }

    /** Ends, as failed, the runs of replicas that stopped renewing their leases. */
    void reapOrphans() {
        leases.reapOrphans();
    }

    /** Renews the leases of this replica's runs now. */
    void renewLeases() {
        leases.renew();
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed: " + e.getMessage());
        }
    }
}
