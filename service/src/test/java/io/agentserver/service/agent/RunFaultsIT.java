package io.agentserver.service.agent;

import io.agentserver.service.testing.StoredSteps;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.EventBrokers;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.RunMetricsObserver;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.LossyBroker;
import io.agentserver.service.testing.TestDatabases;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs under faults, over a real PostgreSQL: notices lost on the broker, starts that fail half-way, leases
 * lost or taken, replicas that die, clients that drop and come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunFaultsIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private DatabaseSettings dbSettings;
    private Database database;
    private Stores stores;
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** A database per test: the reapers of one test must find nothing another test left behind. */
    @BeforeEach
    void openDatabase() {
        dbSettings = TestDatabases.postgres();
        database = Database.open(dbSettings);
        stores = database.stores();
    }

    @AfterEach
    void closeReplicasAndDatabase() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        closing.clear();
        database.close();
    }

    // ---- lost notices ----------------------------------------------------------------------------------

    @Test
    void aHumanReplyWhoseNoticeWasLostStillReachesTheWaitingRun() throws Exception {
        LossyBroker broker = broker().losing(channel -> channel.startsWith("agentserver:run:"));
        RunCoordinator replica = replica("a", broker, settings("a").build());
        Interaction interaction = newInteraction();
        assertThat(replica.start(request(interaction, RunTestAgents.ASKER))).isEqualTo(Outcome.DONE);
        waitFor(() -> status(interaction) == InteractionStatus.ASK_FOR_HUMAN_HELP, "the run asks for a reply");
        Step ask = steps(interaction).getLast();

        Instant replied = Instant.now();
        assertThat(replica.reply(interaction.interactionId(), ask.nodeId(),
                JsonNodeFactory.instance.objectNode().put("answer", "yes"), JsonNodeFactory.instance.arrayNode()))
                .isEqualTo(Outcome.DONE);
        waitFor(() -> status(interaction) == InteractionStatus.FINISHED, "the run finishes with the reply");

        assertThat(broker.lost()).as("the reply's notice was lost").isNotEmpty();
        Step answered = steps(interaction).stream().filter(s -> s.dataJson().contains("yes")).findFirst().orElseThrow();
        System.out.println("lost reply notice: the run continued after "
                + Duration.between(replied, answered.createTime()).toMillis() + " ms (re-read interval "
                + RunSettings.DEFAULT_RECHECK_INTERVAL.toMillis() + " ms)");
    }

    @Test
    void aStopWhoseNoticeWasLostStillStopsTheRun() throws Exception {
        LossyBroker broker = broker().losing(channel -> channel.startsWith("agentserver:run:"));
        RunCoordinator replica = replica("a", broker, settings("a").build());
        Interaction interaction = newInteraction();
        replica.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> steps(interaction).size() >= 2, "the run steps");

        Instant stopped = Instant.now();
        replica.stop(interaction.interactionId());
        waitFor(() -> status(interaction) == InteractionStatus.CLOSED, "the run ends as closed");

        assertThat(broker.lost()).as("the stop's notice was lost").isNotEmpty();
        // The status turns closed a moment before the run thread leaves the replica's table.
        waitFor(() -> !replica.runsLocally(interaction.interactionId()), "the run left the replica");
        System.out.println("lost stop notice: the run ended " + Duration.between(stopped,
                stores.interactions().find(interaction.interactionId()).orElseThrow().updateTime()).toMillis()
                + " ms after the stop");
    }

    @Test
    void aStopAndAReplyMadeOnAnotherReplicaWhileRedisIsDownStillTakeEffect() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            BrokerSettings redisSettings = BrokerSettings.redis(redis.uri());
            EventBroker onA = EventBrokers.create(redisSettings);
            EventBroker onB = EventBrokers.create(redisSettings);
            closing.add(onA);
            closing.add(onB);
            RunCoordinator replicaA = replica("a", onA, settings("a").build());
            RunCoordinator replicaB = replica("b", onB, settings("b").build());
            Interaction asking = newInteraction();
            Interaction stepping = newInteraction();
            replicaA.start(request(asking, RunTestAgents.ASKER));
            replicaA.start(request(stepping, RunTestAgents.STEPPER));
            waitFor(() -> status(asking) == InteractionStatus.ASK_FOR_HUMAN_HELP, "the run asks for a reply");

            redis.stopServer();
            try {
                replicaB.stop(stepping.interactionId());
                assertThat(replicaB.reply(asking.interactionId(), steps(asking).getLast().nodeId(),
                        JsonNodeFactory.instance.objectNode().put("answer", "while redis was down"),
                        JsonNodeFactory.instance.arrayNode())).isEqualTo(Outcome.DONE);
                waitFor(() -> status(stepping) == InteractionStatus.CLOSED, "the stop ends the run");
                waitFor(() -> status(asking) == InteractionStatus.FINISHED, "the reply reaches the run");
            } finally {
                redis.startServer();
            }
        }
    }

    // ---- starts ------------------------------------------------------------------------------------------

    /**
     * The database refuses the claim: a second coordinator with the same replica id (a restarted process that kept
     * its name) knows nothing of the live run, so only the claim's SQL can refuse it.
     */
    @Test
    void aSecondStartOfALiveRunIsRefusedByTheClaimAndLeavesItsLeaseAlone() throws Exception {
        RunCoordinator replica = replica("a", broker(), settings("a").build());
        RunCoordinator sameName = replica("a", broker(), settings("a").build());
        Interaction interaction = newInteraction();
        replica.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> !steps(interaction).isEmpty(), "the run steps");

        Interaction again = stores.interactions().find(interaction.interactionId()).orElseThrow();
        assertThat(sameName.runsLocally(interaction.interactionId())).isFalse();
        assertThat(sameName.start(request(again, RunTestAgents.STEPPER))).isInstanceOf(Outcome.Refused.class);

        assertThat(sameName.runsLocally(interaction.interactionId())).isFalse();
        assertThat(stores.interactions().leaseOwner(interaction.interactionId())).contains("a");
        assertThat(replica.runsLocally(interaction.interactionId())).isTrue();
        assertThat(status(interaction)).isEqualTo(InteractionStatus.RUNNING);
    }

    @Test
    void aStartThatFailsHalfWayEndsTheInteractionAsFailedAndFreesTheLease() throws Exception {
        LossyBroker broker = broker().failSubscriptions(true);
        RunCoordinator replica = replica("a", broker, settings("a").build());
        Interaction interaction = newInteraction();

        assertThat(replica.start(request(interaction, RunTestAgents.STEPPER))).isInstanceOf(Outcome.Refused.class);

        assertThat(status(interaction)).isEqualTo(InteractionStatus.FAILED);
        assertThat(steps(interaction)).last().extracting(Step::status).isEqualTo(StepStatus.FAILED);
        assertThat(stores.interactions().leaseOwner(interaction.interactionId())).isEmpty();
        assertThat(replica.runsLocally(interaction.interactionId())).isFalse();
    }

    // ---- leases ------------------------------------------------------------------------------------------

    /**
     * The database's fence alone: replica a still believes its lease (30 s, never renewed: a long pause) when
     * another replica takes it; a's next append must be refused by the database, and the run stops. (A reaper
     * would also append a failed step at the run's next seq, and the log's unique seq would refuse the run's
     * append as well; a replica that takes the lease without appending leaves only the fence.)
     */
    @Test
    void aRunWhoseLeaseWasTakenNeverAppendsAgain() throws Exception {
        RunCoordinator paused = replica("a", broker(), settings("a").build(), false);
        Interaction interaction = newInteraction();
        paused.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> steps(interaction).size() >= 2, "the run steps");

        sql("UPDATE interactions SET lease_owner = 'thief' WHERE interaction_id = ?", interaction.interactionId());
        int stepsWhenTaken = steps(interaction).size();
        waitFor(() -> !paused.runsLocally(interaction.interactionId()), "the fenced run stops at its next append");

        assertThat(steps(interaction)).as("at most the append that was under way when the lease moved")
                .hasSizeLessThanOrEqualTo(stepsWhenTaken + 1);
        assertThat(status(interaction)).isEqualTo(InteractionStatus.RUNNING);
        assertThat(stores.interactions().leaseOwner(interaction.interactionId())).contains("thief");
    }

    /**
     * Status changes and workspace writes are fenced like appends: a run whose lease another replica took (while it
     * still believes its own, long lease) changes no status and writes no file when its human reply wakes it.
     */
    @Test
    void aRunWhoseLeaseWasTakenChangesNoStatusAndWritesNoFile() throws Exception {
        RunCoordinator replica = replica("a", broker(), settings("a").build(), false);
        Interaction interaction = newInteraction();
        replica.start(request(interaction, RunTestAgents.ASK_THEN_WRITE));
        waitFor(() -> status(interaction) == InteractionStatus.ASK_FOR_HUMAN_HELP, "the run asks for a reply");
        Step ask = steps(interaction).getLast();
        int stepsBefore = steps(interaction).size();

        sql("UPDATE interactions SET lease_owner = 'thief' WHERE interaction_id = ?", interaction.interactionId());
        assertThat(replica.reply(interaction.interactionId(), ask.nodeId(), JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.arrayNode())).isEqualTo(Outcome.DONE);

        waitFor(() -> !replica.runsLocally(interaction.interactionId()), "the fenced run stops");
        assertThat(status(interaction)).as("the woken run did not move the status it no longer owns")
                .isEqualTo(InteractionStatus.ASK_FOR_HUMAN_HELP);
        assertThat(stores.workspace().list(interaction.interactionId())).as("nor wrote its file").isEmpty();
        assertThat(steps(interaction)).hasSize(stepsBefore);
    }

    /**
     * The lease is surely this replica's for one lease duration counted from before the claim: a start slowed down
     * after the claim (here its status notice takes 1.5 s to publish) must not stretch it. Nothing renews the lease,
     * so the run must stop appending before the lease ran out since the claim.
     */
    @Test
    void theLocalLeaseClockStartsBeforeTheClaimSoASlowStartCannotStretchIt() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Duration slowStart = Duration.ofMillis(1500);
        LossyBroker broker = broker().slowing(channel -> channel.startsWith("agentserver:interaction:"), slowStart);
        RunCoordinator replica = replica("a", broker, settings("a").lease(lease).build(), false);
        Interaction interaction = newInteraction();
        Instant beforeStart = Instant.now();
        replica.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> !replica.runsLocally(interaction.interactionId()), "the run stops when its lease may be over");

        List<Step> log = steps(interaction);
        assertThat(log).as("it stepped while its lease surely held").isNotEmpty();
        assertThat(Duration.between(beforeStart, log.getLast().createTime()))
                .as("no step after the lease ran out, counted from before the claim")
                .isLessThan(lease.plusMillis(500));
    }

    @Test
    void aRunWhoseLeaseWasTakenStopsItselfAtTheNextRenewalWithoutWriting() throws Exception {
        RunCoordinator replica = replica("a", broker(), settings("a").lease(Duration.ofMillis(1500)).build());
        Interaction interaction = newInteraction();
        replica.start(request(interaction, RunTestAgents.ASKER));
        waitFor(() -> status(interaction) == InteractionStatus.ASK_FOR_HUMAN_HELP, "the run asks for a reply");
        int stepsBefore = steps(interaction).size();

        sql("UPDATE interactions SET lease_owner = 'thief' WHERE interaction_id = ?", interaction.interactionId());

        waitFor(() -> !replica.runsLocally(interaction.interactionId()), "the run stops itself");
        assertThat(steps(interaction)).hasSize(stepsBefore);
        assertThat(status(interaction)).as("the thief ends it, not the fenced run")
                .isEqualTo(InteractionStatus.ASK_FOR_HUMAN_HELP);
        assertThat(stores.interactions().leaseOwner(interaction.interactionId())).contains("thief");
    }

    @Test
    void aReplicaKilledWithoutCleanupHasItsRunEndedAsFailedByAnother() throws Exception {
        Duration lease = Duration.ofSeconds(3);
        Duration reaperInterval = Duration.ofSeconds(1);
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        EventBroker broker = broker();
        RunCoordinator doomed = replica("a", broker, settings("a").lease(lease).reaper(reaperInterval).build());
        RunCoordinator survivor = replica("b", broker, settings("b").lease(lease).reaper(reaperInterval).build(),
                true, new RunMetricsObserver(metrics, RunTestAgents.catalog()));
        Interaction interaction = newInteraction();
        doomed.start(request(interaction, RunTestAgents.ASKER));
        waitFor(() -> status(interaction) == InteractionStatus.ASK_FOR_HUMAN_HELP, "the run asks for a reply");
        Thread.sleep(lease.toMillis()); // let a renewal or two happen, as in a replica that ran a while

        long killed = System.nanoTime();
        doomed.haltWithoutCleanup();
        waitFor(() -> status(interaction) == InteractionStatus.FAILED, "the survivor ends the run");
        long detectedMillis = Duration.ofNanos(System.nanoTime() - killed).toMillis();

        assertThat(steps(interaction)).last().satisfies(last -> {
            assertThat(last.status()).isEqualTo(StepStatus.FAILED);
            assertThat(last.dataJson()).contains("stopped");
        });
        assertThat(reapedTotal(metrics)).isEqualTo(1.0);
        assertThat(detectedMillis).as("at most a lease, a reaper interval and slack")
                .isLessThan(lease.plus(reaperInterval).plusSeconds(5).toMillis());
        System.out.println("crash detection: run ended as failed " + detectedMillis + " ms after its replica died"
                + " (lease " + lease.toMillis() + " ms, reaper interval " + reaperInterval.toMillis() + " ms)");
    }

    // ---- grace ------------------------------------------------------------------------------------------

    @Test
    void aDropAReattachAndASecondDropDoNotLetTheFirstDropStopTheRunEarly() throws Exception {
        Duration grace = Duration.ofSeconds(3);
        RunCoordinator replica = replica("a", broker(), settings("a").grace(grace).build());
        Interaction interaction = newInteraction();
        String id = interaction.interactionId();
        RunViewers.Viewer first = replica.viewers().open(id, 0);
        replica.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> !steps(interaction).isEmpty(), "the run steps");

        long firstDrop = System.nanoTime();
        first.dropped();
        sleepUntil(firstDrop + Duration.ofSeconds(1).toNanos());
        RunViewers.Viewer second = replica.viewers().open(id, 1);
        sleepUntil(firstDrop + Duration.ofSeconds(2).toNanos());
        second.dropped();

        // a grace counted from the first drop would end at +3 s; the second drop's ends at +5 s
        sleepUntil(firstDrop + Duration.ofMillis(4200).toNanos());
        assertThat(replica.runsLocally(id)).as("still running: watched until +2 s").isTrue();
        assertThat(status(interaction)).isEqualTo(InteractionStatus.RUNNING);
        waitFor(() -> status(interaction) == InteractionStatus.CLOSED, "the run stops after the second drop's grace");
    }

    /**
     * The grace counts from when the last viewer left, as the store recorded it: a viewer that came back and left
     * again between two of the coordinator's looks still moved it.
     */
    @Test
    void aViewerThatCameAndWentBetweenTwoChecksStillRestartsTheGrace() throws Exception {
        Duration grace = Duration.ofSeconds(3);
        RunCoordinator replica = replica("a", broker(), settings("a").grace(grace).build());
        Interaction interaction = newInteraction();
        String id = interaction.interactionId();
        RunViewers.Viewer first = replica.viewers().open(id, 0);
        replica.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> !steps(interaction).isEmpty(), "the run steps");

        long firstDrop = System.nanoTime();
        first.dropped();
        sleepUntil(firstDrop + Duration.ofSeconds(2).toNanos());
        replica.viewers().open(id, 1).dropped(); // a reconnect that dropped again at once

        // the grace now ends at +5 s; counted from the first drop it ended at +3 s
        sleepUntil(firstDrop + Duration.ofMillis(4300).toNanos());
        assertThat(replica.runsLocally(id)).as("still running: watched until +2 s").isTrue();
        assertThat(status(interaction)).isEqualTo(InteractionStatus.RUNNING);
        waitFor(() -> status(interaction) == InteractionStatus.CLOSED, "the run stops after the second drop's grace");
    }

    @Test
    void aRunWhoseViewersReplicaDiedStopsAfterTheViewerLeaseAndTheGrace() throws Exception {
        Duration grace = Duration.ofSeconds(1);
        Duration viewerLease = Duration.ofSeconds(2);
        RunCoordinator owner = replica("a", broker(), settings("a").grace(grace).viewerLease(viewerLease).build());
        RunCoordinator viewersReplica = replica("b", broker(), settings("b").viewerLease(viewerLease).build(), false);
        Interaction interaction = newInteraction();
        viewersReplica.viewers().open(interaction.interactionId(), 0);
        owner.start(request(interaction, RunTestAgents.STEPPER));
        waitFor(() -> steps(interaction).size() > 3, "the run steps");

        long died = System.nanoTime();
        viewersReplica.haltWithoutCleanup(); // no drop is ever reported: its viewer's lease just stops being renewed
        waitFor(() -> status(interaction) == InteractionStatus.CLOSED, "the abandoned run stops");
        assertThat(Duration.ofNanos(System.nanoTime() - died)).as("not before the lease ran out")
                .isGreaterThanOrEqualTo(grace);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private LossyBroker broker() {
        LossyBroker broker = new LossyBroker();
        closing.add(broker);
        return broker;
    }

    private RunCoordinator replica(String id, EventBroker broker, RunSettings settings) {
        return replica(id, broker, settings, true);
    }

    private RunCoordinator replica(String id, EventBroker broker, RunSettings settings, boolean maintained,
                                   RunObserver... observers) {
        StepLog log = new StepLog(stores, broker, new LocalEventFeed(), List.of(observers), Clock.systemUTC(), RunSettings.DEFAULT_MAX_STEP_BYTES);
        RunCoordinator coordinator = new RunCoordinator(settings, stores, broker, RunTestAgents.catalog(), log);
        if (maintained) {
            coordinator.startMaintenance();
        }
        closing.add(coordinator);
        return coordinator;
    }

    private static SettingsBuilder settings(String replicaId) {
        return new SettingsBuilder(replicaId);
    }

    private static final class SettingsBuilder {
        private final String replicaId;
        private Duration lease = Duration.ofSeconds(30);
        private Duration reaper = Duration.ofSeconds(10);
        private Duration grace = Duration.ofSeconds(60);
        private int appendSlots = RunSettings.DEFAULT_MAX_CONCURRENT_APPENDS;
        private Duration viewerLease = RunSettings.DEFAULT_VIEWER_LEASE;

        SettingsBuilder(String replicaId) {
            this.replicaId = replicaId;
        }

        SettingsBuilder lease(Duration value) {
            lease = value;
            return this;
        }

        SettingsBuilder reaper(Duration value) {
            reaper = value;
            return this;
        }

        SettingsBuilder appendSlots(int value) {
            appendSlots = value;
            return this;
        }

        SettingsBuilder grace(Duration value) {
            grace = value;
            return this;
        }

        SettingsBuilder viewerLease(Duration value) {
            viewerLease = value;
            return this;
        }

        RunSettings build() {
            return new RunSettings(replicaId, Duration.ofSeconds(60), lease, reaper, grace,
                    RunSettings.DEFAULT_RECHECK_INTERVAL, RunTestAgents.STEPPER, appendSlots,
                    RunSettings.DEFAULT_MAX_STEP_BYTES, viewerLease);
        }
    }

    private Interaction newInteraction() {
        Instant now = Instant.now();
        Interaction interaction = new Interaction(NodeIds.next(), "guest", now, now, "d", "test", "auto", "[]", "",
                InteractionStatus.CONNECTED, "connected", "0", false, "web", false);
        stores.interactions().insert(interaction);
        return interaction;
    }

    private static RunRequest request(Interaction interaction, String agent) {
        return new RunRequest(interaction, agent, "auto", JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.arrayNode(), false, true);
    }

    private InteractionStatus status(Interaction interaction) {
        return stores.interactions().find(interaction.interactionId()).orElseThrow().status();
    }

    private List<Step> steps(Interaction interaction) {
        return StoredSteps.all(stores, interaction.interactionId());
    }

    private void sql(String statement, String parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(dbSettings.url(), dbSettings.username(),
                dbSettings.password());
             PreparedStatement update = connection.prepareStatement(statement)) {
            update.setString(1, parameter);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static double reapedTotal(ServiceMetrics metrics) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot counter
                    && counter.getMetadata().getName().equals("agentserver_runs_reaped")) {
                return counter.getDataPoints().getFirst().getValue();
            }
        }
        return 0;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
