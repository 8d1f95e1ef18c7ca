package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Owns the runs of this replica. Starts them on virtual threads under a database lease, routes replies and
 * stops that any replica publishes on a run's control topic, stops runs whose client vanished, and ends the
 * runs of replicas whose lease expired.
 */
public final class RunCoordinator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunCoordinator.class.getName());
    private static final Set<InteractionStatus> STARTABLE =
            EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING);
    private static final Set<InteractionStatus> ACTIVE =
            EnumSet.of(InteractionStatus.RUNNING, InteractionStatus.ASK_FOR_HUMAN_HELP);

    private final RunSettings settings;
    private final Stores stores;
    private final EventBroker broker;
    private final AgentCatalog agents;
    private final StepLog log;
    private final Clock clock;
    private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-timers").factory());

    private record ActiveRun(LocalRun run, Subscription control, Thread thread) {
    }

    public RunCoordinator(RunSettings settings, Stores stores, EventBroker broker, AgentCatalog agents,
                          StepLog log, Clock clock) {
        this.settings = settings;
        this.stores = stores;
        this.broker = broker;
        this.agents = agents;
        this.log = log;
        this.clock = clock;
    }

    /** Renews this replica's leases and ends runs whose replica vanished, until {@link #close()}. */
    public RunCoordinator startMaintenance() {
        long renewEvery = Math.max(1, settings.leaseDuration().toMillis() / 3);
        timers.scheduleWithFixedDelay(() -> guarded("lease renewal", this::renewLeases),
                renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long reapEvery = settings.reaperInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> guarded("lease reaper", this::reapOrphans),
                reapEvery, reapEvery, TimeUnit.MILLISECONDS);
        return this;
    }

    public Outcome start(RunRequest request) {
        Interaction interaction = request.interaction();
        String id = interaction.interactionId();
        if (interaction.status().isFinal()) {
            return Outcome.refused("this interaction has ended; start a new one");
        }
        Instant now = clock.instant();
        if (!stores.interactions().claimLease(id, settings.replicaId(), now, now.plus(settings.leaseDuration()))) {
            return Outcome.refused("a run is already active on this interaction");
        }
        if (!log.transition(interaction, STARTABLE, InteractionStatus.RUNNING, "running")) {
            stores.interactions().releaseLease(id, settings.replicaId());
            return Outcome.refused("a run is already active on this interaction");
        }
        Agent agent = agents.resolve(request.agentName());
        LocalRun run = new LocalRun(request, stores, log, settings.humanReplyTimeout(), stores.steps().nextSeq(id));
        if (request.echoGoal()) {
            run.append(StepDraft.of(StepStatus.RUNNING, "", null));
        }
        Subscription control = broker.subscribe(InteractionEvents.controlTopic(id), new MessageListener() {
            @Override
            public void onMessage(String channel, String message) {
                RunControl.decode(message).ifPresent(c -> control(run, c));
            }

            /** A reply's notice may have been lost while the broker was away; the reply itself is stored. */
            @Override
            public void resubscribed() {
                Thread.ofVirtual().name("run-recheck-" + id).start(run::recheckPendingReplies);
            }
        });
        Thread thread = Thread.ofVirtual().name("run-" + id).unstarted(() -> execute(agent, run));
        runs.put(id, new ActiveRun(run, control, thread));
        LOG.log(Level.INFO, "run started interaction=" + id + " user=" + interaction.userId()
                + " agent=" + agent.name() + " mode=" + request.mode());
        thread.start();
        return Outcome.DONE;
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

    /** The client closed its socket: end the run as {@code closed}, wherever it runs. */
    public void stop(String interactionId) {
        broker.publish(InteractionEvents.controlTopic(interactionId),
                RunControl.encode(new RunControl.Stop(StopCause.CLIENT_CLOSED.name())));
    }

    public void attached(String interactionId) {
        broker.publish(InteractionEvents.controlTopic(interactionId), RunControl.encode(new RunControl.Attached()));
    }

    public void detached(String interactionId, boolean abrupt) {
        broker.publish(InteractionEvents.controlTopic(interactionId),
                RunControl.encode(new RunControl.Detached(abrupt)));
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
        timers.shutdownNow();
    }

    private void control(LocalRun run, RunControl control) {
        switch (control) {
            case RunControl.Reply(String nodeId) -> run.replyArrived(nodeId);
            case RunControl.Stop(String ignored) -> run.stop(StopCause.CLIENT_CLOSED);
            case RunControl.Attached() -> run.viewerAttached();
            case RunControl.Detached(boolean abrupt) -> {
                if (run.viewerDetached() == 0 && abrupt) {
                    scheduleGraceStop(run);
                }
            }
        }
    }

    private void scheduleGraceStop(LocalRun run) {
        ScheduledFuture<?> ignored = timers.schedule(() -> {
            if (run.viewers() == 0) {
                LOG.log(Level.INFO, "run abandoned interaction=" + run.interactionId()
                        + " grace=" + settings.disconnectGrace().toSeconds() + "s");
                run.stop(StopCause.CLIENT_GONE);
            }
        }, settings.disconnectGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void execute(Agent agent, LocalRun run) {
        Interaction interaction = run.interaction();
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
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "agent failed interaction=" + interaction.interactionId(), e);
            fail(run, "the agent failed unexpectedly; see the server log");
        } finally {
            ActiveRun active = runs.remove(interaction.interactionId());
            if (active != null) {
                active.control().close();
            }
            stores.interactions().releaseLease(interaction.interactionId(), settings.replicaId());
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
        log.transition(run.interaction(), ACTIVE, status, message);
        LOG.log(Level.INFO, "run ended interaction=" + run.interactionId() + " status=" + status.wire());
    }

    private void renewLeases() {
        if (!runs.isEmpty()) {
            stores.interactions().renewLeases(settings.replicaId(), clock.instant().plus(settings.leaseDuration()));
        }
    }

    /** Ends, as failed, the runs of replicas that stopped renewing their leases. */
    void reapOrphans() {
        Instant now = clock.instant();
        List<Interaction> orphans = stores.interactions().findExpiredActive(now);
        for (Interaction orphan : orphans) {
            String id = orphan.interactionId();
            if (runs.containsKey(id)
                    || !stores.interactions().claimLease(id, settings.replicaId(), now, now.plus(settings.leaseDuration()))) {
                continue;
            }
            try {
                String message = "the server running this interaction stopped; please start the run again";
                log.append(orphan, stores.steps().nextSeq(id), StepDraft.of(StepStatus.FAILED, "",
                        Json.mapper().getNodeFactory().textNode(message)));
                log.transition(orphan, ACTIVE, InteractionStatus.FAILED, message);
                LOG.log(Level.WARNING, "run orphaned interaction=" + id + " ended as failed");
            } finally {
                stores.interactions().releaseLease(id, settings.replicaId());
            }
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed: " + e.getMessage());
        }
    }
}
