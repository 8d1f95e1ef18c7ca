package io.agentserver.service.agent;

import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.Stores;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The leases of runs: renews this replica's (a run whose lease is gone stops itself) and ends, as failed with a
 * final step, the active runs nobody holds a lease on any more. Renewal and reaping run on separate threads, so
 * a slow reap never delays a renewal. Lease times are the database's, never this replica's clock.
 */
final class RunLeases implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunLeases.class.getName());
    static final String ORPHAN_MESSAGE = "the server running this interaction stopped; please start the run again";
    private static final Set<InteractionStatus> ACTIVE =
            EnumSet.of(InteractionStatus.RUNNING, InteractionStatus.ASK_FOR_HUMAN_HELP);

    private final RunSettings settings;
    private final Stores stores;
    private final StepLog log;
    private final Supplier<Collection<LocalRun>> localRuns;
    private final Predicate<String> runsLocally;
    private final ScheduledExecutorService renewer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-lease-renewal").factory());
    private final ScheduledExecutorService reaper =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-lease-reaper").factory());

    RunLeases(RunSettings settings, Stores stores, StepLog log, Supplier<Collection<LocalRun>> localRuns,
              Predicate<String> runsLocally) {
        this.settings = settings;
        this.stores = stores;
        this.log = log;
        this.localRuns = localRuns;
        this.runsLocally = runsLocally;
    }

    void start() {
        long renewEvery = settings.renewInterval().toMillis();
        renewer.scheduleWithFixedDelay(() -> guarded("lease renewal", this::renew),
                renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long reapEvery = settings.reaperInterval().toMillis();
        reaper.scheduleWithFixedDelay(() -> guarded("lease reaper", this::reapOrphans),
                reapEvery, reapEvery, TimeUnit.MILLISECONDS);
    }

    /** Renews each local run's lease; stops the runs whose lease another replica took or that lapsed. */
    void renew() {
        for (LocalRun run : localRuns.get()) {
            if (run.fenced()) {
                continue;
            }
            long sentAt = System.nanoTime();
            try {
                if (stores.interactions().renewLease(run.interactionId(), settings.replicaId(),
                        settings.leaseDuration())) {
                    run.leaseRenewed(sentAt);
                } else {
                    LOG.log(Level.WARNING, "run lease lost interaction=" + run.interactionId()
                            + " replica=" + settings.replicaId() + "; stopping without writing");
                    run.leaseLost();
                }
            } catch (StoreException e) {
                if (run.leaseLapsed()) {
                    LOG.log(Level.WARNING, "run lease lapsed interaction=" + run.interactionId()
                            + " (renewal failing: " + e.getMessage() + "); stopping without writing");
                    run.leaseLost();
                }
            }
        }
    }

    /** Ends, as failed, the active runs of replicas that stopped renewing their leases (or never held one). */
    void reapOrphans() {
        for (Interaction orphan : stores.interactions().findExpiredActive()) {
            String id = orphan.interactionId();
            if (runsLocally.test(id)
                    || !stores.interactions().claimLease(id, settings.replicaId(), settings.leaseDuration())) {
                continue;
            }
            try {
                Step failed = log.append(orphan, stores.steps().nextSeq(id), StepDraft.of(StepStatus.FAILED, "",
                        Json.mapper().getNodeFactory().textNode(ORPHAN_MESSAGE)), settings.replicaId());
                if (log.transition(orphan, ACTIVE, InteractionStatus.FAILED, ORPHAN_MESSAGE, settings.replicaId(),
                        failed.seq())) {
                    log.reaped(orphan);
                    LOG.log(Level.WARNING, "run orphaned interaction=" + id + " ended as failed");
                }
            } catch (LeaseLostException e) {
                LOG.log(Level.DEBUG, () -> "orphan " + id + " ended meanwhile");
            } finally {
                stores.interactions().releaseLease(id, settings.replicaId());
            }
        }
    }

    /** Stops renewing and reaping at once; used on shutdown, and by tests to play a replica that died. */
    @Override
    public void close() {
        renewer.shutdownNow();
        reaper.shutdownNow();
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed: " + e.getMessage());
        }
    }
}
