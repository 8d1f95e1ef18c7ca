package io.agentserver.service.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * Each test gets a fresh, migrated database.
 */
abstract class StoreContract {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");

    private final List<Database> opened = new ArrayList<>();
    private DatabaseSettings settings;
    private Database database;
    private Stores stores;

    /** A new, empty database each call. */
    abstract DatabaseSettings freshDatabase();

    @BeforeEach
    void openDatabase() {
        settings = freshDatabase();
        database = open(settings);
        stores = database.stores();
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
    }

    private Database open(DatabaseSettings s) {
        Database db = Database.open(s);
        opened.add(db);
        return db;
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
        stores.interactions().insert(interaction("i-kept", "guest", T0, READY));
        Database second = open(settings);
        assertThat(second.stores().users().findById("guest")).isPresent();
        assertThat(second.stores().users().findByEmail("Guest").orElseThrow().userId()).isEqualTo("guest");
        assertThat(second.stores().interactions().find("i-kept")).isPresent();
    }

    @Test
    void guestIsNotSeededWhenDisabled() {
        Database db = open(freshDatabase().withSeedGuest(false));
        assertThat(db.stores().users().findById("guest")).isEmpty();
    }

    @Test
    void isHealthyWhileOpenAndNotAfterClose() {
        assertThat(database.isHealthy()).isTrue();
        database.close();
        assertThat(database.isHealthy()).isFalse();
    }

    // ---- users ---------------------------------------------------------------------------------------

    @Test
    void insertedUserIsFoundByIdAndEmail() {
        User alice = user("alice", "alice@example.com");
        stores.users().insert(alice);
        assertThat(stores.users().findById("alice")).contains(alice);
        assertThat(stores.users().findByEmail("alice@example.com")).contains(alice);
        assertThat(stores.users().findById("nobody")).isEmpty();
    }

    @Test
    void duplicateUserIdOrEmailIsADuplicateKey() {
        stores.users().insert(user("alice", "alice@example.com"));
        assertThatThrownBy(() -> stores.users().insert(user("alice", "other@example.com")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> stores.users().insert(user("bob", "alice@example.com")))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void insertIfAbsentKeepsTheStoredUser() {
        User first = user("carol", "carol@example.com");
        assertThat(stores.users().insertIfAbsent(first)).isEqualTo(first);
        User second = new User("carol", "carol@example.com", "Other", "t2", false, "", "", "", false, false, T0, T0);
        assertThat(stores.users().insertIfAbsent(second)).isEqualTo(first);
    }

    // ---- interactions --------------------------------------------------------------------------------

    @Test
    void insertedInteractionRoundTripsEveryField() {
        Interaction i = new Interaction("i1", "alice", T0, T0.plusSeconds(1), "describe", "XAgent", "auto",
                "[{\"uuid\":\"u1\",\"name\":\"a.txt\"}]", "/rec/i1", WAITING, "hello", "3", false, "web", false);
        stores.interactions().insert(i);
        assertThat(stores.interactions().find("i1")).contains(i);
        assertThat(stores.interactions().find("missing")).isEmpty();
    }

    @Test
    void interactionKeepsNullOptionalFields() {
        Interaction i = new Interaction("i-null", "alice", T0, T0, null, null, null, null, null, READY, null, null,
                false, null, false);
        stores.interactions().insert(i);
        assertThat(stores.interactions().find("i-null")).contains(i);
    }

    @Test
    void duplicateInteractionIdIsADuplicateKey() {
        stores.interactions().insert(interaction("dup", "alice", T0, READY));
        assertThatThrownBy(() -> stores.interactions().insert(interaction("dup", "bob", T0, READY)))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void findReadyReturnsTheNewestReadyInteractionOfTheUser() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("old-ready", "alice", T0, READY));
        store.insert(interaction("new-ready", "alice", T0.plusSeconds(10), READY));
        store.insert(interaction("newer-running", "alice", T0.plusSeconds(20), RUNNING));
        store.insert(interaction("bob-ready", "bob", T0.plusSeconds(30), READY));
        store.insert(interaction("deleted-ready", "alice", T0.plusSeconds(40), READY));
        store.markDeleted("deleted-ready");

        assertThat(store.findReady("alice")).map(Interaction::interactionId).contains("new-ready");
        assertThat(store.findReady("nobody")).isEmpty();
    }

    @Test
    void listByUserPagesNewestFirstWithTotalExcludingDeletedAndOthers() {
        InteractionStore store = stores.interactions();
        for (int n = 0; n < 5; n++) {
            store.insert(interaction("a" + n, "alice", T0.plusSeconds(n), FINISHED));
        }
        store.insert(interaction("gone", "alice", T0.plusSeconds(100), FINISHED));
        store.markDeleted("gone");
        store.insert(interaction("b0", "bob", T0.plusSeconds(200), FINISHED));

        Page<Interaction> first = store.listByUser("alice", 1, 2);
        Page<Interaction> last = store.listByUser("alice", 3, 2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(ids(first)).containsExactly("a4", "a3");
        assertThat(ids(store.listByUser("alice", 2, 2))).containsExactly("a2", "a1");
        assertThat(last.total()).isEqualTo(5);
        assertThat(ids(last)).containsExactly("a0");
        assertThat(store.listByUser("alice", 4, 2).rows()).isEmpty();
        assertThat(store.listByUser("nobody", 1, 10)).isEqualTo(new Page<>(0, List.of()));
    }

    @Test
    void listSharedListsSharedUndeletedInteractionsNewestFirst() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("s1", "alice", T0, FINISHED));
        store.insert(interaction("s2", "bob", T0.plusSeconds(5), FINISHED));
        store.insert(interaction("s3", "bob", T0.plusSeconds(9), FINISHED));
        store.insert(interaction("private", "alice", T0.plusSeconds(7), FINISHED));
        List.of("s1", "s2", "s3").forEach(store::markShared);
        store.markDeleted("s3");

        Page<Interaction> page = store.listShared(1, 10);
        assertThat(page.total()).isEqualTo(2);
        assertThat(ids(page)).containsExactly("s2", "s1");
        assertThat(page.rows()).allMatch(Interaction::shared);
        assertThat(ids(store.listShared(2, 1))).containsExactly("s1");
    }

    @Test
    void pagesStartAtOne() {
        assertThatThrownBy(() -> stores.interactions().listByUser("alice", 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stores.interactions().listShared(1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hasActiveIsTrueOnlyWhileARunIsRunningOrWaitingForAHuman() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("h1", "alice", T0, READY));
        store.insert(interaction("h2", "alice", T0, FINISHED));
        assertThat(store.hasActive("alice")).isFalse();
        store.updateStatus("h1", RUNNING, null);
        assertThat(store.hasActive("alice")).isTrue();
        store.updateStatus("h1", ASK_FOR_HUMAN_HELP, null);
        assertThat(store.hasActive("alice")).isTrue();
        assertThat(store.hasActive("bob")).isFalse();
        store.updateStatus("h1", FAILED, "boom");
        assertThat(store.hasActive("alice")).isFalse();
    }

    @Test
    void updateStatusSetsStatusAndMessageAndTouchesUpdateTime() {
        stores.interactions().insert(interaction("u1", "alice", T0, READY));
        stores.interactions().updateStatus("u1", FAILED, "it broke");
        Interaction after = stores.interactions().find("u1").orElseThrow();
        assertThat(after.status()).isEqualTo(FAILED);
        assertThat(after.message()).isEqualTo("it broke");
        assertThat(after.updateTime()).isAfter(T0);
        assertThat(after.createTime()).isEqualTo(T0);
    }

    @Test
    void transitionChangesStatusOnlyFromAnExpectedOne() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("t1", "alice", T0, CONNECTED));
        assertThat(store.transition("t1", Set.of(READY, WAITING), RUNNING, "no")).isFalse();
        assertThat(store.find("t1").orElseThrow().status()).isEqualTo(CONNECTED);

        assertThat(store.transition("t1", Set.of(CONNECTED, WAITING), RUNNING, "go")).isTrue();
        Interaction running = store.find("t1").orElseThrow();
        assertThat(running.status()).isEqualTo(RUNNING);
        assertThat(running.message()).isEqualTo("go");

        assertThat(store.transition("t1", Set.of(CONNECTED), FINISHED, "again")).isFalse();
        assertThat(store.transition("t1", Set.of(), FINISHED, "none")).isFalse();
        assertThat(store.transition("missing", Set.of(RUNNING), FINISHED, "x")).isFalse();
    }

    @Test
    void updatesChangeOnlyTheirFields() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("c1", "alice", T0, READY));
        store.updateConfig("c1", "ToolAgent", "manual", "[{\"uuid\":\"u9\",\"name\":\"b.md\"}]");
        store.updateDescription("c1", "new description");
        store.updateCurrentStep("c1", "7");
        store.setRecorderRootDir("c1", "/records/c1");

        Interaction c = store.find("c1").orElseThrow();
        assertThat(c.agent()).isEqualTo("ToolAgent");
        assertThat(c.mode()).isEqualTo("manual");
        assertThat(c.fileListJson()).isEqualTo("[{\"uuid\":\"u9\",\"name\":\"b.md\"}]");
        assertThat(c.description()).isEqualTo("new description");
        assertThat(c.currentStep()).isEqualTo("7");
        assertThat(c.recorderRootDir()).isEqualTo("/records/c1");
        assertThat(c.status()).isEqualTo(READY);
        assertThat(c.userId()).isEqualTo("alice");
        assertThat(c.updateTime()).isAfter(T0);
    }

    @Test
    void markDeletedAndMarkSharedSetTheirFlags() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("m1", "alice", T0, FINISHED));
        store.markShared("m1");
        assertThat(store.find("m1").orElseThrow().shared()).isTrue();
        assertThat(store.find("m1").orElseThrow().deleted()).isFalse();
        store.markDeleted("m1");
        assertThat(store.find("m1").orElseThrow().deleted()).isTrue();
        assertThat(store.listByUser("alice", 1, 10).total()).isZero();
    }

    // ---- leases --------------------------------------------------------------------------------------

    @Test
    void aFreeLeaseIsClaimedAndAHeldOneIsNot() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("l1", "alice", T0, RUNNING));
        assertThat(store.leaseOwner("l1")).isEmpty();

        assertThat(store.claimLease("l1", "replica-a", T0, T0.plusSeconds(30))).isTrue();
        assertThat(store.leaseOwner("l1")).contains("replica-a");
        assertThat(store.claimLease("l1", "replica-b", T0.plusSeconds(10), T0.plusSeconds(40))).isFalse();
        assertThat(store.leaseOwner("l1")).contains("replica-a");
        assertThat(store.claimLease("missing", "replica-a", T0, T0.plusSeconds(30))).isFalse();
    }

    @Test
    void theHolderRenewsItsLeaseByClaimingAgain() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("l2", "alice", T0, RUNNING));
        store.claimLease("l2", "replica-a", T0, T0.plusSeconds(30));
        assertThat(store.claimLease("l2", "replica-a", T0.plusSeconds(20), T0.plusSeconds(60))).isTrue();
        // still held at +45 s thanks to the renewal
        assertThat(store.claimLease("l2", "replica-b", T0.plusSeconds(45), T0.plusSeconds(90))).isFalse();
    }

    @Test
    void anExpiredLeaseIsClaimedByAnotherReplica() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("l3", "alice", T0, RUNNING));
        store.claimLease("l3", "replica-a", T0, T0.plusSeconds(30));
        assertThat(store.claimLease("l3", "replica-b", T0.plusSeconds(31), T0.plusSeconds(61))).isTrue();
        assertThat(store.leaseOwner("l3")).contains("replica-b");
    }

    @Test
    void renewLeasesExtendsEveryLeaseOfTheOwnerOnly() {
        InteractionStore store = stores.interactions();
        for (String id : List.of("r1", "r2", "r3")) {
            store.insert(interaction(id, "alice", T0, RUNNING));
        }
        store.claimLease("r1", "replica-a", T0, T0.plusSeconds(30));
        store.claimLease("r2", "replica-a", T0, T0.plusSeconds(30));
        store.claimLease("r3", "replica-b", T0, T0.plusSeconds(30));

        store.renewLeases("replica-a", T0.plusSeconds(120));

        Instant later = T0.plusSeconds(60);
        assertThat(store.claimLease("r1", "replica-c", later, later.plusSeconds(30))).isFalse();
        assertThat(store.claimLease("r2", "replica-c", later, later.plusSeconds(30))).isFalse();
        assertThat(store.claimLease("r3", "replica-c", later, later.plusSeconds(30))).isTrue();
    }

    @Test
    void releaseLeaseFreesItOnlyForTheHolder() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("l4", "alice", T0, RUNNING));
        store.claimLease("l4", "replica-a", T0, T0.plusSeconds(30));

        store.releaseLease("l4", "replica-b");
        assertThat(store.leaseOwner("l4")).contains("replica-a");

        store.releaseLease("l4", "replica-a");
        assertThat(store.leaseOwner("l4")).isEmpty();
        assertThat(store.claimLease("l4", "replica-b", T0.plusSeconds(1), T0.plusSeconds(31))).isTrue();
    }

    @Test
    void findExpiredActiveFindsOnlyActiveRunsWhoseLeaseEnded() {
        InteractionStore store = stores.interactions();
        store.insert(interaction("expired-running", "alice", T0, RUNNING));
        store.insert(interaction("expired-asking", "alice", T0, ASK_FOR_HUMAN_HELP));
        store.insert(interaction("live-running", "alice", T0, RUNNING));
        store.insert(interaction("expired-finished", "alice", T0, FINISHED));
        store.insert(interaction("unleased-ready", "alice", T0, READY));
        store.claimLease("expired-running", "gone", T0, T0.plusSeconds(10));
        store.claimLease("expired-asking", "gone", T0, T0.plusSeconds(20));
        store.claimLease("live-running", "alive", T0, T0.plusSeconds(300));
        store.claimLease("expired-finished", "gone", T0, T0.plusSeconds(10));

        List<Interaction> expired = store.findExpiredActive(T0.plusSeconds(60));
        assertThat(expired).extracting(Interaction::interactionId)
                .containsExactlyInAnyOrder("expired-running", "expired-asking");
        assertThat(store.findExpiredActive(T0.plusSeconds(5))).isEmpty();
    }

    // ---- parameters ----------------------------------------------------------------------------------

    @Test
    void parametersAreListedInArrivalOrder() {
        for (int n = 0; n < 12; n++) {
            stores.parameters().add("p1", "{\"goal\":\"g" + n + "\"}");
        }
        stores.parameters().add("p2", "{\"goal\":\"other\"}");
        List<String> args = stores.parameters().list("p1");
        assertThat(args).hasSize(12);
        assertThat(args.getFirst()).isEqualTo("{\"goal\":\"g0\"}");
        assertThat(args.getLast()).isEqualTo("{\"goal\":\"g11\"}");
        assertThat(stores.parameters().list("none")).isEmpty();
    }

    // ---- steps ---------------------------------------------------------------------------------------

    @Test
    void appendedStepsAreListedInSequenceOrderFromACursor() {
        StepStore steps = stores.steps();
        assertThat(steps.nextSeq("s")).isZero();
        for (long seq : List.of(2L, 0L, 1L, 3L)) {
            steps.append(step("s", seq, false));
        }
        steps.append(step("other", 0, false));

        assertThat(steps.listFrom("s", 0)).extracting(Step::seq).containsExactly(0L, 1L, 2L, 3L);
        assertThat(steps.listFrom("s", 2)).extracting(Step::seq).containsExactly(2L, 3L);
        assertThat(steps.listFrom("s", 4)).isEmpty();
        assertThat(steps.nextSeq("s")).isEqualTo(4);
        assertThat(steps.nextSeq("other")).isEqualTo(1);
    }

    @Test
    void appendedStepRoundTripsEveryField() {
        Step step = new Step("s", 0, "node-s-0", "inner", "task-1", "{\"thoughts\":\"ü ✓ \\\"q\\\"\"}",
                "[\"a.txt\"]", true, null, T0);
        stores.steps().append(step);
        assertThat(stores.steps().findByNodeId("node-s-0")).contains(step);
        assertThat(stores.steps().listFrom("s", 0)).containsExactly(step);
        assertThat(stores.steps().findByNodeId("missing")).isEmpty();
    }

    @Test
    void aDuplicateSeqOrNodeIdIsADuplicateKey() {
        StepStore steps = stores.steps();
        steps.append(step("s", 0, false));
        Step sameSeq = new Step("s", 0, "fresh-node", "inner", "t", "{}", "[]", false, null, T0);
        Step sameNode = new Step("s", 1, "node-s-0", "inner", "t", "{}", "[]", false, null, T0);
        assertThatThrownBy(() -> steps.append(sameSeq)).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> steps.append(sameNode)).isInstanceOf(DuplicateKeyException.class);
        assertThat(steps.listFrom("s", 0)).hasSize(1);
    }

    @Test
    void aHumanReplyIsRecordedOnceAndOnlyWhereAsked() {
        StepStore steps = stores.steps();
        steps.append(step("s", 0, false));
        steps.append(step("s", 1, true));

        assertThat(steps.recordHumanReply("node-s-0", "{\"a\":1}", "[]")).isFalse();
        assertThat(steps.recordHumanReply("missing", "{\"a\":1}", "[]")).isFalse();
        assertThat(steps.recordHumanReply("node-s-1", "{\"answer\":\"yes\"}", "[\"f.txt\"]")).isTrue();
        assertThat(steps.recordHumanReply("node-s-1", "{\"answer\":\"again\"}", null)).isFalse();

        Step answered = steps.findByNodeId("node-s-1").orElseThrow();
        assertThat(answered.answered()).isTrue();
        assertThat(answered.humanDataJson()).isEqualTo("{\"answer\":\"yes\"}");
        assertThat(steps.findByNodeId("node-s-0").orElseThrow().answered()).isFalse();
    }

    @Test
    void aHumanReplyWithoutFileListIsRecorded() {
        stores.steps().append(step("s", 0, true));
        assertThat(stores.steps().recordHumanReply("node-s-0", "{}", null)).isTrue();
    }

    // ---- workspace and uploads -----------------------------------------------------------------------

    @Test
    void putCreatesAndReplacesAFile() {
        WorkspaceStore ws = stores.workspace();
        ws.put("w1", "notes.md", bytes("first"));
        ws.put("w1", "notes.md", bytes("second"));
        WorkspaceFile file = ws.get("w1", "notes.md").orElseThrow();
        assertThat(new String(file.content())).isEqualTo("second");
        assertThat(file.interactionId()).isEqualTo("w1");
        assertThat(file.updateTime()).isNotNull();
        assertThat(ws.list("w1")).containsExactly("notes.md");
        assertThat(ws.get("w1", "missing")).isEmpty();
        assertThat(ws.get("w2", "notes.md")).isEmpty();
    }

    @Test
    void listNamesTheInteractionsFilesSorted() {
        WorkspaceStore ws = stores.workspace();
        for (String name : List.of("b.txt", "a/z.png", "C.md", "a.txt")) {
            ws.put("w1", name, bytes(name));
        }
        ws.put("w2", "other.txt", bytes("x"));
        assertThat(ws.list("w1")).containsExactly("C.md", "a.txt", "a/z.png", "b.txt");
        assertThat(ws.list("none")).isEmpty();
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
        ws.put("w1", "all.bin", all);
        ws.put("w1", "large.bin", large);
        ws.put("w1", "empty.bin", new byte[0]);
        assertThat(ws.get("w1", "all.bin").orElseThrow().content()).isEqualTo(all);
        assertThat(ws.get("w1", "large.bin").orElseThrow().content()).isEqualTo(large);
        assertThat(ws.get("w1", "empty.bin").orElseThrow().content()).isEmpty();
    }

    @Test
    void uploadsRoundTripAndDuplicatesAreRefused() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) (255 - b);
        }
        String uuid = UUID.randomUUID().toString().replace("-", "");
        Upload upload = new Upload(uuid, "alice", "data.bin", all, T0);
        stores.workspace().saveUpload(upload);
        Upload found = stores.workspace().findUpload(uuid).orElseThrow();
        assertThat(found.uuid()).isEqualTo(uuid);
        assertThat(found.userId()).isEqualTo("alice");
        assertThat(found.name()).isEqualTo("data.bin");
        assertThat(found.content()).isEqualTo(all);
        assertThat(found.createTime()).isEqualTo(T0);
        assertThat(stores.workspace().findUpload("missing")).isEmpty();
        assertThatThrownBy(() -> stores.workspace().saveUpload(upload)).isInstanceOf(DuplicateKeyException.class);
    }

    // ---- time ----------------------------------------------------------------------------------------

    @Test
    void instantsRoundTripAsUtcWithMillis() {
        Instant created = Instant.parse("1999-12-31T23:59:59.987Z");
        Instant updated = Instant.parse("2038-01-19T03:14:07.001Z");
        Instant micros = Instant.parse("2024-02-29T12:00:00.123456Z");
        stores.interactions().insert(new Interaction("time", "alice", created, updated, "d", "a", "m", "[]", null,
                READY, null, "0", false, "web", false));
        stores.steps().append(new Step("time", 0, "node-time", "s", "c", "{}", "[]", false, null, micros));

        Interaction found = stores.interactions().find("time").orElseThrow();
        assertThat(found.createTime()).isEqualTo(created);
        assertThat(found.updateTime()).isEqualTo(updated);
        assertThat(stores.steps().findByNodeId("node-time").orElseThrow().createTime()).isEqualTo(micros);
    }

    @Test
    void storeTimesAreCloseToNow() {
        Instant before = Instant.now().minus(Duration.ofSeconds(1));
        stores.workspace().put("w", "f", bytes("x"));
        Instant stamped = stores.workspace().get("w", "f").orElseThrow().updateTime();
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

    private static Step step(String interactionId, long seq, boolean ask) {
        return new Step(interactionId, seq, "node-" + interactionId + "-" + seq, "inner", "task",
                "{\"seq\":" + seq + "}", "[]", ask, null, T0.plusSeconds(seq));
    }

    private static List<String> ids(Page<Interaction> page) {
        return page.rows().stream().map(Interaction::interactionId).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
