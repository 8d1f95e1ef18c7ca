package io.agentserver.service.store;

import io.agentserver.service.testing.StoredSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.agentserver.service.store.InteractionStatus.ASK_FOR_HUMAN_HELP;
import static io.agentserver.service.store.InteractionStatus.CONNECTED;
import static io.agentserver.service.store.InteractionStatus.FAILED;
import static io.agentserver.service.store.InteractionStatus.FINISHED;
import static io.agentserver.service.store.InteractionStatus.READY;
import static io.agentserver.service.store.InteractionStatus.RUNNING;
import static io.agentserver.service.store.InteractionStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every store implementation owes its callers, run against each database by a subclass.
 * The tests of a class share one migrated database and keep apart by prefixing every key they write
 * ({@link #id}); a test that reads across all interactions, or closes its database, opens its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");

    private final List<Database> isolated = new ArrayList<>();
    private DatabaseSettings settings;
    private Database shared;
    private Stores stores;
    private String prefix;

    /** A new, empty database each call. */
    abstract DatabaseSettings freshDatabase();

    @BeforeAll
    void openSharedDatabase() {
        settings = freshDatabase();
        shared = Database.open(settings);
        stores = shared.stores();
    }

    @AfterAll
    void closeSharedDatabase() {
        shared.close();
    }

    @BeforeEach
    void choosePrefix() {
        prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void closeIsolatedDatabases() {
        isolated.forEach(Database::close);
        isolated.clear();
    }

    /** A database of this test alone. */
    private Database isolatedDatabase(DatabaseSettings s) {
        Database db = Database.open(s);
        isolated.add(db);
        return db;
    }

    /** A key of this test: the name with the test's prefix. */
    private String id(String name) {
        return prefix + name;
    }

    // ---- database ------------------------------------------------------------------------------------

    @Test
    void migrationsRunOnAnEmptyDatabaseAndSeedTheGuest() {
        User guest = stores.users().findByEmail("Guest").orElseThrow();
        assertThat(guest.userId()).isEqualTo("guest");
        assertThat(guest.token()).isEqualTo("xagent");
        assertThat(guest.name()).isEqualTo("guest");
        assertThat(guest.available()).isTrue();
        assertThat(guest.beta()).isTrue();
        assertThat(guest.deleted()).isFalse();
        assertThat(List.of(guest.corporation(), guest.industry(), guest.position())).containsOnly("");
    }

    @Test
    void openingTwiceKeepsOneGuestAndTheData() {
        stores.interactions().insert(interaction(id("i-kept"), "guest", T0, READY));
        Database second = isolatedDatabase(settings);
        assertThat(second.stores().users().findById("guest")).isPresent();
        assertThat(second.stores().users().findByEmail("Guest").orElseThrow().userId()).isEqualTo("guest");
        assertThat(second.stores().interactions().find(id("i-kept"))).isPresent();
    }

    @Test
    void guestIsNotSeededWhenDisabled() {
        Database db = isolatedDatabase(freshDatabase().withSeedGuest(false));
        assertThat(db.stores().users().findById("guest")).isEmpty();
    }

    @Test
    void isHealthyWhileOpenAndNotAfterClose() {
        Database database = isolatedDatabase(freshDatabase());
        assertThat(database.isHealthy()).isTrue();
        database.close();
        assertThat(database.isHealthy()).isFalse();
    }

    // ---- users ---------------------------------------------------------------------------------------

    @Test
    void insertedUserIsFoundByIdAndEmail() {
        User alice = user(id("alice"), id("alice@example.com"));
        stores.users().insert(alice);
        assertThat(stores.users().findById(id("alice"))).contains(alice);
        assertThat(stores.users().findByEmail(id("alice@example.com"))).contains(alice);
        assertThat(stores.users().findById(id("nobody"))).isEmpty();
    }

    @Test
    void duplicateUserIdOrEmailIsADuplicateKey() {
        stores.users().insert(user(id("alice"), id("alice@example.com")));
        assertThatThrownBy(() -> stores.users().insert(user(id("alice"), id("other@example.com"))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> stores.users().insert(user(id("bob"), id("alice@example.com"))))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void insertIfAbsentKeepsTheStoredUser() {
        User first = user(id("carol"), id("carol@example.com"));
        assertThat(stores.users().insertIfAbsent(first)).isEqualTo(first);
        User second = new User(id("carol"), id("carol@example.com"), "Other", "t2", false, "", "", "", false, false, T0, T0);
        assertThat(stores.users().insertIfAbsent(second)).isEqualTo(first);
    }

    // ---- interactions --------------------------------------------------------------------------------

    @Test
    void insertedInteractionRoundTripsEveryField() {
        Interaction i = new Interaction(id("i1"), id("alice"), T0, T0.plusSeconds(1), "describe", "XAgent", "auto",
                "[{\"uuid\":\"u1\",\"name\":\"a.txt\"}]", "/rec/i1", WAITING, "hello", "3", false, "web", false);
        stores.interactions().insert(i);
        assertThat(stores.interactions().find(id("i1"))).contains(i);
        assertThat(stores.interactions().find(id("missing"))).isEmpty();
    }

    @Test
    void interactionKeepsNullOptionalFields() {
        Interaction i = new Interaction(id("i-null"), id("alice"), T0, T0, null, null, null, null, null, READY, null, null,
                false, null, false);
        stores.interactions().insert(i);
        assertThat(stores.interactions().find(id("i-null"))).contains(i);
    }

    @Test
    void duplicateInteractionIdIsADuplicateKey() {
        stores.interactions().insert(interaction(id("dup"), id("alice"), T0, READY));
        assertThatThrownBy(() -> stores.interactions().insert(interaction(id("dup"), id("bob"), T0, READY)))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void findReadyReturnsTheNewestReadyInteractionOfTheUser() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("old-ready"), id("alice"), T0, READY));
        store.insert(interaction(id("new-ready"), id("alice"), T0.plusSeconds(10), READY));
        store.insert(interaction(id("newer-running"), id("alice"), T0.plusSeconds(20), RUNNING));
        store.insert(interaction(id("bob-ready"), id("bob"), T0.plusSeconds(30), READY));
        store.insert(interaction(id("deleted-ready"), id("alice"), T0.plusSeconds(40), READY));
        store.markDeleted(id("deleted-ready"));

        assertThat(store.findReady(id("alice"))).map(Interaction::interactionId).contains(id("new-ready"));
        assertThat(store.findReady(id("nobody"))).isEmpty();
    }

    @Test
    void listByUserPagesNewestFirstWithTotalExcludingDeletedAndOthers() {
        InteractionStore store = stores.interactions();
        for (int n = 0; n < 5; n++) {
            store.insert(interaction(id("a" + n), id("alice"), T0.plusSeconds(n), FINISHED));
        }
        store.insert(interaction(id("gone"), id("alice"), T0.plusSeconds(100), FINISHED));
        store.markDeleted(id("gone"));
        store.insert(interaction(id("b0"), id("bob"), T0.plusSeconds(200), FINISHED));

        Page<Interaction> first = store.listByUser(id("alice"), 1, 2);
        Page<Interaction> last = store.listByUser(id("alice"), 3, 2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(ids(first)).containsExactly(id("a4"), id("a3"));
        assertThat(ids(store.listByUser(id("alice"), 2, 2))).containsExactly(id("a2"), id("a1"));
        assertThat(last.total()).isEqualTo(5);
        assertThat(ids(last)).containsExactly(id("a0"));
        assertThat(store.listByUser(id("alice"), 4, 2).rows()).isEmpty();
        assertThat(store.listByUser(id("nobody"), 1, 10)).isEqualTo(new Page<>(0, List.of()));
    }

    @Test
    void listSharedListsSharedUndeletedInteractionsNewestFirst() {
        InteractionStore store = isolatedDatabase(freshDatabase()).stores().interactions();
        store.insert(interaction(id("s1"), id("alice"), T0, FINISHED));
        store.insert(interaction(id("s2"), id("bob"), T0.plusSeconds(5), FINISHED));
        store.insert(interaction(id("s3"), id("bob"), T0.plusSeconds(9), FINISHED));
        store.insert(interaction(id("private"), id("alice"), T0.plusSeconds(7), FINISHED));
        List.of(id("s1"), id("s2"), id("s3")).forEach(store::markShared);
        store.markDeleted(id("s3"));

        Page<Interaction> page = store.listShared(1, 10);
        assertThat(page.total()).isEqualTo(2);
        assertThat(ids(page)).containsExactly(id("s2"), id("s1"));
        assertThat(page.rows()).allMatch(Interaction::shared);
        assertThat(ids(store.listShared(2, 1))).containsExactly(id("s1"));
    }

    @Test
    void pagesStartAtOne() {
        assertThatThrownBy(() -> stores.interactions().listByUser(id("alice"), 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stores.interactions().listShared(1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hasActiveIsTrueOnlyWhileARunIsRunningOrWaitingForAHuman() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("h1"), id("alice"), T0, READY));
        store.insert(interaction(id("h2"), id("alice"), T0, FINISHED));
        assertThat(store.hasActive(id("alice"))).isFalse();
        store.updateStatus(id("h1"), RUNNING, null);
        assertThat(store.hasActive(id("alice"))).isTrue();
        store.updateStatus(id("h1"), ASK_FOR_HUMAN_HELP, null);
        assertThat(store.hasActive(id("alice"))).isTrue();
        assertThat(store.hasActive(id("bob"))).isFalse();
        store.updateStatus(id("h1"), FAILED, "boom");
        assertThat(store.hasActive(id("alice"))).isFalse();
    }

    @Test
    void updateStatusSetsStatusAndMessageAndTouchesUpdateTime() {
        stores.interactions().insert(interaction(id("u1"), id("alice"), T0, READY));
        stores.interactions().updateStatus(id("u1"), FAILED, "it broke");
        Interaction after = stores.interactions().find(id("u1")).orElseThrow();
        assertThat(after.status()).isEqualTo(FAILED);
        assertThat(after.message()).isEqualTo("it broke");
        assertThat(after.updateTime()).isAfter(T0);
        assertThat(after.createTime()).isEqualTo(T0);
    }

    @Test
    void transitionChangesStatusOnlyFromAnExpectedOne() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("t1"), id("alice"), T0, CONNECTED));
        assertThat(store.transition(id("t1"), Set.of(READY, WAITING), RUNNING, "no")).isFalse();
        assertThat(store.find(id("t1")).orElseThrow().status()).isEqualTo(CONNECTED);

        assertThat(store.transition(id("t1"), Set.of(CONNECTED, WAITING), RUNNING, "go")).isTrue();
        Interaction running = store.find(id("t1")).orElseThrow();
        assertThat(running.status()).isEqualTo(RUNNING);
        assertThat(running.message()).isEqualTo("go");

        assertThat(store.transition(id("t1"), Set.of(CONNECTED), FINISHED, "again")).isFalse();
        assertThat(store.transition(id("t1"), Set.of(), FINISHED, id("none"))).isFalse();
        assertThat(store.transition(id("missing"), Set.of(RUNNING), FINISHED, "x")).isFalse();
    }

    @Test
    void updatesChangeOnlyTheirFields() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("c1"), id("alice"), T0, READY));
        store.updateConfig(id("c1"), "ToolAgent", "manual", "[{\"uuid\":\"u9\",\"name\":\"b.md\"}]");
        store.updateDescription(id("c1"), "new description");
        store.updateCurrentStep(id("c1"), "7");
        store.setRecorderRootDir(id("c1"), "/records/c1");

        Interaction c = store.find(id("c1")).orElseThrow();
        assertThat(c.agent()).isEqualTo("ToolAgent");
        assertThat(c.mode()).isEqualTo("manual");
        assertThat(c.fileListJson()).isEqualTo("[{\"uuid\":\"u9\",\"name\":\"b.md\"}]");
        assertThat(c.description()).isEqualTo("new description");
        assertThat(c.currentStep()).isEqualTo("7");
        assertThat(c.recorderRootDir()).isEqualTo("/records/c1");
        assertThat(c.status()).isEqualTo(READY);
        assertThat(c.userId()).isEqualTo(id("alice"));
        assertThat(c.updateTime()).isAfter(T0);
    }

    @Test
    void markDeletedAndMarkSharedSetTheirFlags() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("m1"), id("alice"), T0, FINISHED));
        store.markShared(id("m1"));
        assertThat(store.find(id("m1")).orElseThrow().shared()).isTrue();
        assertThat(store.find(id("m1")).orElseThrow().deleted()).isFalse();
        store.markDeleted(id("m1"));
        assertThat(store.find(id("m1")).orElseThrow().deleted()).isTrue();
        assertThat(store.listByUser(id("alice"), 1, 10).total()).isZero();
    }

    // ---- delivery cursor -----------------------------------------------------------------------------

    @Test
    void theDeliveryCursorStartsBeforeTheFirstStepAndOnlyMovesForward() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("c1"), id("alice"), T0, RUNNING));
        assertThat(store.deliveredSeq(id("c1"))).isEqualTo(-1);

        store.updateDeliveredSeq(id("c1"), 4);
        store.updateDeliveredSeq(id("c1"), 2);

        assertThat(store.deliveredSeq(id("c1"))).isEqualTo(4);
        assertThat(store.deliveredSeq(id("missing"))).isEqualTo(-1);
    }

    // ---- leases --------------------------------------------------------------------------------------

    private static final Duration LEASE = Duration.ofSeconds(30);
    /** A lease that ended a minute ago by the database's clock: what a replica that died leaves behind. */
    private static final Duration ENDED = Duration.ofSeconds(-60);

    @Test
    void aFreeLeaseIsClaimedAndAHeldOneIsNot() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("l1"), id("alice"), T0, RUNNING));
        assertThat(store.leaseOwner(id("l1"))).isEmpty();

        assertThat(store.claimLease(id("l1"), id("replica-a"), LEASE)).isTrue();
        assertThat(store.leaseOwner(id("l1"))).contains(id("replica-a"));
        assertThat(store.claimLease(id("l1"), id("replica-b"), LEASE)).isFalse();
        assertThat(store.leaseOwner(id("l1"))).contains(id("replica-a"));
        assertThat(store.claimLease(id("missing"), id("replica-a"), LEASE)).isFalse();
    }

    @Test
    void theHolderCannotClaimItsLiveLeaseAgain() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("l2"), id("alice"), T0, RUNNING));
        store.claimLease(id("l2"), id("replica-a"), LEASE);
        assertThat(store.claimLease(id("l2"), id("replica-a"), LEASE)).isFalse();
        assertThat(store.leaseOwner(id("l2"))).contains(id("replica-a"));
    }

    @Test
    void theHolderRenewsItsLeaseAndNobodyElseDoes() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("r1"), id("alice"), T0, RUNNING));
        store.claimLease(id("r1"), id("replica-a"), ENDED);

        assertThat(store.renewLease(id("r1"), id("replica-b"), LEASE)).isFalse();
        assertThat(store.findExpiredActive()).extracting(Interaction::interactionId).contains(id("r1"));
        assertThat(store.renewLease(id("r1"), id("replica-a"), LEASE)).isTrue();
        assertThat(store.findExpiredActive()).extracting(Interaction::interactionId).doesNotContain(id("r1"));
        assertThat(store.claimLease(id("r1"), id("replica-c"), LEASE)).isFalse();
    }

    @Test
    void anExpiredLeaseIsClaimedByAnotherReplica() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("l3"), id("alice"), T0, RUNNING));
        store.claimLease(id("l3"), id("replica-a"), ENDED);
        assertThat(store.claimLease(id("l3"), id("replica-b"), LEASE)).isTrue();
        assertThat(store.leaseOwner(id("l3"))).contains(id("replica-b"));
        assertThat(store.renewLease(id("l3"), id("replica-a"), LEASE)).isFalse();
    }

    @Test
    void releaseLeaseFreesItOnlyForTheHolder() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("l4"), id("alice"), T0, RUNNING));
        store.claimLease(id("l4"), id("replica-a"), LEASE);

        store.releaseLease(id("l4"), id("replica-b"));
        assertThat(store.leaseOwner(id("l4"))).contains(id("replica-a"));

        store.releaseLease(id("l4"), id("replica-a"));
        assertThat(store.leaseOwner(id("l4"))).isEmpty();
        assertThat(store.claimLease(id("l4"), id("replica-b"), LEASE)).isTrue();
    }

    @Test
    void findExpiredActiveFindsActiveRunsWhoseLeaseEndedOrThatHaveNone() {
        InteractionStore store = isolatedDatabase(freshDatabase()).stores().interactions();
        store.insert(interaction(id("expired-running"), id("alice"), T0, RUNNING));
        store.insert(interaction(id("expired-asking"), id("alice"), T0, ASK_FOR_HUMAN_HELP));
        store.insert(interaction(id("unleased-running"), id("alice"), T0, RUNNING));
        store.insert(interaction(id("live-running"), id("alice"), T0, RUNNING));
        store.insert(interaction(id("expired-finished"), id("alice"), T0, FINISHED));
        store.insert(interaction(id("unleased-ready"), id("alice"), T0, READY));
        store.claimLease(id("expired-running"), id("gone"), ENDED);
        store.claimLease(id("expired-asking"), id("gone"), ENDED);
        store.claimLease(id("live-running"), id("alive"), LEASE);
        store.claimLease(id("expired-finished"), id("gone"), ENDED);

        assertThat(store.findExpiredActive()).extracting(Interaction::interactionId)
                .containsExactlyInAnyOrder(id("expired-running"), id("expired-asking"), id("unleased-running"));
    }

    @Test
    void aStopIsKeptForTheLeaseHolderUntilTheNextClaim() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("s1"), id("alice"), T0, RUNNING));
        assertThat(store.requestStop(id("s1"))).as("nobody runs it").isFalse();
        store.claimLease(id("s1"), id("replica-a"), ENDED);

        assertThat(store.requestStop(id("s1"))).isTrue();
        assertThat(store.stopsRequested(id("replica-a"))).containsExactly(id("s1"));
        assertThat(store.stopsRequested(id("replica-b"))).isEmpty();

        store.claimLease(id("s1"), id("replica-b"), LEASE);
        assertThat(store.stopsRequested(id("replica-b"))).isEmpty();
    }

    @Test
    void onlyTheLeaseHolderAppendsToAnActiveLog() {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("f1"), id("alice"), T0, RUNNING));
        store.claimLease(id("f1"), id("replica-a"), LEASE);

        assertThat(stores.steps().appendAsLeaseHolder(step(id("f1"), 0, false), id("replica-a"))).isTrue();
        assertThat(stores.steps().appendAsLeaseHolder(step(id("f1"), 1, false), id("replica-b"))).isFalse();
        store.transition(id("f1"), List.of(RUNNING), FAILED, "reaped");
        assertThat(stores.steps().appendAsLeaseHolder(step(id("f1"), 1, false), id("replica-a"))).isFalse();
        assertThat(StoredSteps.all(stores, id("f1"))).extracting(Step::seq).containsExactly(0L);
    }

    @Test
    void concurrentClaimsOfAFreeLeaseHaveExactlyOneWinner() throws Exception {
        InteractionStore store = stores.interactions();
        store.insert(interaction(id("race"), id("alice"), T0, RUNNING));
        List<Boolean> results = race(8, n -> store.claimLease(id("race"), id("replica-" + n), LEASE));
        assertThat(results).containsOnlyOnce(true);
        assertThat(store.leaseOwner(id("race"))).isPresent();
    }

    // ---- parameters ----------------------------------------------------------------------------------

    @Test
    void parametersAreListedInArrivalOrder() {
        for (int n = 0; n < 12; n++) {
            stores.parameters().add(id("p1"), "{\"goal\":\"g" + n + "\"}");
        }
        stores.parameters().add(id("p2"), "{\"goal\":\"other\"}");
        List<String> args = stores.parameters().list(id("p1"));
        assertThat(args).hasSize(12);
        assertThat(args.getFirst()).isEqualTo("{\"goal\":\"g0\"}");
        assertThat(args.getLast()).isEqualTo("{\"goal\":\"g11\"}");
        assertThat(stores.parameters().list(id("none"))).isEmpty();
    }

    // ---- steps ---------------------------------------------------------------------------------------

    @Test
    void appendedStepsAreListedInSequenceOrderFromACursor() {
        StepStore steps = stores.steps();
        assertThat(steps.nextSeq(id("s"))).isZero();
        for (long seq : List.of(2L, 0L, 1L, 3L)) {
            steps.append(step(id("s"), seq, false));
        }
        steps.append(step(id("other"), 0, false));

        assertThat(StoredSteps.all(steps, id("s"))).extracting(Step::seq).containsExactly(0L, 1L, 2L, 3L);
        assertThat(steps.page(id("s"), 2, 10, Long.MAX_VALUE)).extracting(Step::seq).containsExactly(2L, 3L);
        assertThat(steps.page(id("s"), 4, 10, Long.MAX_VALUE)).isEmpty();
        assertThat(steps.page(id("s"), 0, 3, Long.MAX_VALUE)).as("at most maxSteps").extracting(Step::seq)
                .containsExactly(0L, 1L, 2L);
        assertThat(steps.page(id("s"), 1, 10, 1)).as("stops once the page holds maxBytes, one step at least")
                .extracting(Step::seq).containsExactly(1L);
        assertThat(steps.nextSeq(id("s"))).isEqualTo(4);
        assertThat(steps.nextSeq(id("other"))).isEqualTo(1);
    }

    @Test
    void appendedStepRoundTripsEveryField() {
        Step step = new Step(id("s"), 0, id("node-s-0"), "inner", "task-1", "{\"thoughts\":\"ü ✓ \\\"q\\\"\"}",
                "[\"a.txt\"]", true, null, T0);
        stores.steps().append(step);
        assertThat(stores.steps().findByNodeId(id("node-s-0"))).contains(step);
        assertThat(StoredSteps.all(stores, id("s"))).containsExactly(step);
        assertThat(stores.steps().findByNodeId(id("missing"))).isEmpty();
    }

    @Test
    void aDuplicateSeqOrNodeIdIsADuplicateKey() {
        StepStore steps = stores.steps();
        steps.append(step(id("s"), 0, false));
        Step sameSeq = new Step(id("s"), 0, "fresh-node", "inner", "t", "{}", "[]", false, null, T0);
        Step sameNode = new Step(id("s"), 1, id("node-s-0"), "inner", "t", "{}", "[]", false, null, T0);
        assertThatThrownBy(() -> steps.append(sameSeq)).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> steps.append(sameNode)).isInstanceOf(DuplicateKeyException.class);
        assertThat(StoredSteps.all(steps, id("s"))).hasSize(1);
    }

    @Test
    void concurrentAppendsOfOneSeqHaveExactlyOneWinner() throws Exception {
        String interactionId = id("s");
        List<Boolean> results = race(8, n -> {
            try {
                stores.steps().append(new Step(interactionId, 0, id("node-" + n), "inner", "t", "{}", "[]", false,
                        null, T0));
                return true;
            } catch (DuplicateKeyException e) {
                return false;
            }
        });
        assertThat(results).containsOnlyOnce(true);
        assertThat(StoredSteps.all(stores, interactionId)).hasSize(1);
    }

    @Test
    void aHumanReplyIsRecordedOnceAndOnlyWhereAsked() {
        StepStore steps = stores.steps();
        steps.append(step(id("s"), 0, false));
        steps.append(step(id("s"), 1, true));

        assertThat(steps.recordHumanReply(id("node-s-0"), "{\"a\":1}", "[]")).isFalse();
        assertThat(steps.recordHumanReply(id("missing"), "{\"a\":1}", "[]")).isFalse();
        assertThat(steps.recordHumanReply(id("node-s-1"), "{\"answer\":\"yes\"}", "[\"f.txt\"]")).isTrue();
        assertThat(steps.recordHumanReply(id("node-s-1"), "{\"answer\":\"again\"}", null)).isFalse();

        Step answered = steps.findByNodeId(id("node-s-1")).orElseThrow();
        assertThat(answered.answered()).isTrue();
        assertThat(answered.humanDataJson()).isEqualTo("{\"answer\":\"yes\"}");
        assertThat(steps.findByNodeId(id("node-s-0")).orElseThrow().answered()).isFalse();
    }

    @Test
    void aHumanReplyWithoutFileListIsRecorded() {
        stores.steps().append(step(id("s"), 0, true));
        assertThat(stores.steps().recordHumanReply(id("node-s-0"), "{}", null)).isTrue();
    }

    // ---- workspace and uploads -----------------------------------------------------------------------

    @Test
    void putCreatesAndReplacesAFile() {
        WorkspaceStore ws = stores.workspace();
        ws.put(id("w1"), "notes.md", bytes("first"));
        ws.put(id("w1"), "notes.md", bytes("second"));
        WorkspaceFile file = ws.get(id("w1"), "notes.md").orElseThrow();
        assertThat(new String(file.content())).isEqualTo("second");
        assertThat(file.interactionId()).isEqualTo(id("w1"));
        assertThat(file.updateTime()).isNotNull();
        assertThat(ws.list(id("w1"))).containsExactly("notes.md");
        assertThat(ws.get(id("w1"), id("missing"))).isEmpty();
        assertThat(ws.get(id("w2"), "notes.md")).isEmpty();
    }

    @Test
    void listNamesTheInteractionsFilesSorted() {
        WorkspaceStore ws = stores.workspace();
        for (String name : List.of("b.txt", "a/z.png", "C.md", "a.txt")) {
            ws.put(id("w1"), name, bytes(name));
        }
        ws.put(id("w2"), "other.txt", bytes("x"));
        assertThat(ws.list(id("w1"))).containsExactly("C.md", "a.txt", "a/z.png", "b.txt");
        assertThat(ws.list(id("none"))).isEmpty();
    }

    @Test
    void binaryContentRoundTripsEveryByteValueAndLargeFiles() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        byte[] large = new byte[3 * 1024 * 1024];
        new java.util.Random(42).nextBytes(large);
        WorkspaceStore ws = stores.workspace();
        ws.put(id("w1"), "all.bin", all);
        ws.put(id("w1"), "large.bin", large);
        ws.put(id("w1"), "empty.bin", new byte[0]);
        assertThat(ws.get(id("w1"), "all.bin").orElseThrow().content()).isEqualTo(all);
        assertThat(ws.get(id("w1"), "large.bin").orElseThrow().content()).isEqualTo(large);
        assertThat(ws.get(id("w1"), "empty.bin").orElseThrow().content()).isEmpty();
    }

    @Test
    void uploadsRoundTripAndDuplicatesAreRefused() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) (255 - b);
        }
        String uuid = UUID.randomUUID().toString().replace("-", "");
        Upload upload = new Upload(uuid, id("alice"), "data.bin", all, T0);
        stores.workspace().saveUpload(upload);
        Upload found = stores.workspace().findUpload(uuid).orElseThrow();
        assertThat(found.uuid()).isEqualTo(uuid);
        assertThat(found.userId()).isEqualTo(id("alice"));
        assertThat(found.name()).isEqualTo("data.bin");
        assertThat(found.content()).isEqualTo(all);
        assertThat(found.createTime()).isEqualTo(T0);
        assertThat(stores.workspace().findUpload(id("missing"))).isEmpty();
        assertThatThrownBy(() -> stores.workspace().saveUpload(upload)).isInstanceOf(DuplicateKeyException.class);
    }

    // ---- time ----------------------------------------------------------------------------------------

    @Test
    void instantsRoundTripAsUtcWithMillis() {
        Instant created = Instant.parse("1999-12-31T23:59:59.987Z");
        Instant updated = Instant.parse("2038-01-19T03:14:07.001Z");
        Instant micros = Instant.parse("2024-02-29T12:00:00.123456Z");
        stores.interactions().insert(new Interaction(id("time"), id("alice"), created, updated, "d", "a", "m", "[]", null,
                READY, null, "0", false, "web", false));
        stores.steps().append(new Step(id("time"), 0, id("node-time"), id("s"), "c", "{}", "[]", false, null, micros));

        Interaction found = stores.interactions().find(id("time")).orElseThrow();
        assertThat(found.createTime()).isEqualTo(created);
        assertThat(found.updateTime()).isEqualTo(updated);
        assertThat(stores.steps().findByNodeId(id("node-time")).orElseThrow().createTime()).isEqualTo(micros);
    }

    @Test
    void storeTimesAreCloseToNow() {
        Instant before = Instant.now().minus(Duration.ofSeconds(1));
        stores.workspace().put(id("w"), "f", bytes("x"));
        Instant stamped = stores.workspace().get(id("w"), "f").orElseThrow().updateTime();
        assertThat(stamped).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static User user(String id, String email) {
        return new User(id, email, "Name " + id, "token-" + id, true, "Corp", "Industry", "Engineer", false, false,
                T0, T0.plusMillis(5));
    }

    private static Interaction interaction(String id, String userId, Instant created, InteractionStatus status) {
        return new Interaction(id, userId, created, created, "desc " + id, "XAgent", "auto", "[]", null, status,
                null, "0", false, "web", false);
    }

    /** Step {@code seq} of the interaction, whose node id is {@code id("node-<name>-<seq>")}. */
    private Step step(String interactionId, long seq, boolean ask) {
        String node = id("node-" + interactionId.substring(prefix.length()) + "-" + seq);
        return new Step(interactionId, seq, node, "inner", "task",
                "{\"seq\":" + seq + "}", "[]", ask, null, T0.plusSeconds(seq));
    }

    /** Runs {@code task(0..n-1)} on n virtual threads released at once; their results in order. */
    private static <T> List<T> race(int n, java.util.function.IntFunction<T> task) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (var future : futures) {
                results.add(future.get(20, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        }
    }

    private static List<String> ids(Page<Interaction> page) {
        return page.rows().stream().map(Interaction::interactionId).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
