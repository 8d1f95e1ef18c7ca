package io.agentserver.service.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the A2A view needs of its store, on each database; each test uses a user of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class A2aTaskStoreContract {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

    private Database database;
    private A2aTaskStore tasks;
    private Stores stores;

    abstract DatabaseSettings freshDatabase();

    @BeforeAll
    void open() {
        database = Database.open(freshDatabase());
        tasks = database.a2aTasks();
        stores = database.stores();
    }

    @AfterAll
    void close() {
        database.close();
    }

    @Test
    void aTaskKeepsItsContextAndTheUsersMessagesInOrder() {
        String id = interaction(user(), InteractionStatus.RUNNING, 0);
        tasks.create(id, "ctx-1");
        tasks.addMessage(id, "{\"messageId\":\"m1\"}");
        tasks.addMessage(id, "{\"messageId\":\"m2\"}");
        assertThat(tasks.contextId(id)).contains("ctx-1");
        assertThat(tasks.messages(id)).containsExactly("{\"messageId\":\"m1\"}", "{\"messageId\":\"m2\"}");
        assertThat(tasks.contextId("no-such")).isEmpty();
        assertThat(tasks.messages("no-such")).isEmpty();
    }

    @Test
    void aListingHoldsTheUsersStartedRunsAndA2aTasksLatestUpdateFirstNeverDeletedOnes() {
        String user = user();
        String older = interaction(user, InteractionStatus.FINISHED, 1);
        String newer = interaction(user, InteractionStatus.RUNNING, 2);
        String ready = interaction(user, InteractionStatus.READY, 3);
        String a2aReady = interaction(user, InteractionStatus.READY, 4);
        tasks.create(a2aReady, "ctx-x");
        String deleted = interaction(user, InteractionStatus.FINISHED, 5);
        stores.interactions().markDeleted(deleted);
        interaction(user(), InteractionStatus.FINISHED, 6);

        Page<A2aTaskStore.ListedTask> page = tasks.list(query(user, Optional.empty(), Set.of(), Optional.empty(), 10));
        assertThat(page.rows()).extracting(t -> t.interaction().interactionId()).containsExactly(a2aReady, newer, older)
                .doesNotContain(ready, deleted);
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.rows()).extracting(A2aTaskStore.ListedTask::contextId).containsExactly("ctx-x", newer, older);
    }

    @Test
    void filtersByContextStatusAndUpdateTime() {
        String user = user();
        String a = interaction(user, InteractionStatus.FINISHED, 1);
        String b = interaction(user, InteractionStatus.RUNNING, 2);
        String c = interaction(user, InteractionStatus.FINISHED, 3);
        tasks.create(a, "shared");
        tasks.create(b, "shared");

        assertThat(ids(tasks.list(query(user, Optional.of("shared"), Set.of(), Optional.empty(), 10))))
                .containsExactly(b, a);
        assertThat(ids(tasks.list(query(user, Optional.of(c), Set.of(), Optional.empty(), 10))))
                .as("a run started elsewhere is its own context").containsExactly(c);
        assertThat(ids(tasks.list(query(user, Optional.empty(), Set.of(InteractionStatus.FINISHED), Optional.empty(),
                10)))).containsExactly(c, a);
        A2aTaskStore.TaskQuery since = new A2aTaskStore.TaskQuery(user, Optional.empty(), Set.of(),
                Optional.of(T0.plusSeconds(2)), Optional.empty(), 10);
        assertThat(ids(tasks.list(since))).containsExactly(c, b);
    }

    @Test
    void pagesFollowOnFromThePositionOfTheLastTaskEvenWithEqualUpdateTimes() {
        String user = user();
        String first = interaction(user, InteractionStatus.FINISHED, 1);
        String second = interaction(user, InteractionStatus.FINISHED, 1);
        String third = interaction(user, InteractionStatus.FINISHED, 1);
        String fourth = interaction(user, InteractionStatus.FINISHED, 2);
        List<String> all = ids(tasks.list(query(user, Optional.empty(), Set.of(), Optional.empty(), 10)));
        assertThat(all).hasSize(4).first().isEqualTo(fourth);
        assertThat(all).containsExactlyInAnyOrder(first, second, third, fourth);

        Page<A2aTaskStore.ListedTask> page1 = tasks.list(query(user, Optional.empty(), Set.of(), Optional.empty(), 2));
        A2aTaskStore.ListedTask last = page1.rows().get(1);
        Page<A2aTaskStore.ListedTask> page2 = tasks.list(query(user, Optional.empty(), Set.of(),
                Optional.of(new A2aTaskStore.Position(last.interaction().updateTime(),
                        last.interaction().interactionId())), 2));
        assertThat(ids(page1)).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(ids(page2)).containsExactlyElementsOf(all.subList(2, 4));
        assertThat(page2.total()).as("the total ignores the position").isEqualTo(4);
    }

    private static A2aTaskStore.TaskQuery query(String user, Optional<String> context, Set<InteractionStatus> statuses,
                                                Optional<A2aTaskStore.Position> after, int limit) {
        return new A2aTaskStore.TaskQuery(user, context, statuses, Optional.empty(), after, limit);
    }

    private static List<String> ids(Page<A2aTaskStore.ListedTask> page) {
        return page.rows().stream().map(t -> t.interaction().interactionId()).toList();
    }

    private static String user() {
        return "u-" + UUID.randomUUID();
    }

    private String interaction(String user, InteractionStatus status, int updatedAtSecond) {
        String id = UUID.randomUUID().toString().replace("-", "");
        stores.interactions().insert(new Interaction(id, user, T0, T0.plusSeconds(updatedAtSecond), "d", "demo", "auto",
                "[]", "", status, "m", "-1", false, "a2a", false));
        return id;
    }
}
