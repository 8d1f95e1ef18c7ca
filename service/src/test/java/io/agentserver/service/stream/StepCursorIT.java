package io.agentserver.service.stream;

import io.agentserver.service.agent.InteractionEvent;
import io.agentserver.service.agent.InteractionEvents;
import io.agentserver.service.agent.LocalEventFeed;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.StepStore;
import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.Stores;
import io.agentserver.service.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The step cursor over a real database whose reads fail for a while, and a broker that skips a notice. */
class StepCursorIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Database database;
    private FlakySteps steps;
    private Stores stores;
    private InMemoryEventBroker broker;
    private StepFeed feed;
    private final Executor work = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.h2());
        Stores real = database.stores();
        steps = new FlakySteps(real.steps());
        stores = new Stores(real.users(), real.interactions(), real.parameters(), steps, real.workspace(),
                real.viewers());
        broker = new InMemoryEventBroker();
        feed = new StepFeed(stores, broker, new LocalEventFeed(),
                new StreamSettings(Duration.ofMinutes(5), 2, 1 << 20, Duration.ofMillis(200)));
    }

    @AfterEach
    void close() {
        feed.close();
        broker.close();
        database.close();
    }

    @Test
    void aGapWhoseReadFailsIsReadAgainUntilItSucceedsAndNoStepIsSkipped() throws Exception {
        String id = interaction(InteractionStatus.RUNNING);
        Sink sink = new Sink();
        StepCursor cursor = feed.open(id, 0, sink, serial());
        for (int seq = 0; seq < 3; seq++) {
            announce(store(id, seq));
        }
        await("the first three steps", () -> sink.seqs().size() == 3);

        steps.failNext(4);
        store(id, 3);               // stored, but its notice is lost
        announce(store(id, 4));     // a gap: 3 must be read from the store, which fails four times first
        await("the gap was filled once the store answered", () -> sink.seqs().size() == 5);

        assertThat(sink.seqs()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(steps.failures.get()).as("every failed read was retried").isEqualTo(4);
        cursor.close();
    }

    @Test
    void aLongLogIsReadPageByPageAsTheViewMakesRoomAndStatusComesAfterTheStepsBeforeIt() throws Exception {
        String id = interaction(InteractionStatus.RUNNING);
        for (int seq = 0; seq < 9; seq++) {
            store(id, seq);
        }
        stores.interactions().transition(id, List.of(InteractionStatus.RUNNING), InteractionStatus.FINISHED, "done");
        Sink sink = new Sink();
        sink.room.set(3);
        feed.open(id, 0, sink, serial());
        await("three steps, then no room", () -> sink.seqs().size() == 3 && sink.waiting != null);
        assertThat(steps.pageReads.get()).as("pages of two steps: no read past what the view took")
                .isLessThanOrEqualTo(3);
        sink.room.set(100);
        sink.resume();
        await("the rest of the log and its end", () -> sink.ended);
        assertThat(sink.seqs()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(sink.events).as("the final status after the last step, then the end")
                .endsWith("step 8", "status finished");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Executor serial() {
        return work;
    }

    private String interaction(InteractionStatus status) {
        String id = NodeIds.next();
        Instant now = Instant.now();
        stores.interactions().insert(new Interaction(id, "u", now, now, "d", "demo", "auto", "[]", "", status,
                status.wire(), "0", false, "web", false));
        return id;
    }

    private Step store(String id, long seq) {
        Step step = new Step(id, seq, NodeIds.next(), "inner", "1.1", "{\"n\":" + seq + "}", "[]", false, null,
                Instant.now());
        stores.steps().append(step);
        return step;
    }

    private void announce(Step step) {
        broker.publish(InteractionEvents.eventsTopic(step.interactionId()),
                InteractionEvents.encode(new InteractionEvent.StepAppended(step)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** A view that takes steps while it has room. */
    private static final class Sink implements StepSink {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger room = new AtomicInteger(Integer.MAX_VALUE);
        volatile Runnable waiting;
        volatile boolean ended;

        List<Long> seqs() {
            return events.stream().filter(e -> e.startsWith("step ")).map(e -> Long.parseLong(e.substring(5))).toList();
        }

        @Override
        public boolean offer(Step step) {
            if (room.getAndDecrement() <= 0) {
                room.incrementAndGet();
                return false;
            }
            events.add("step " + step.seq());
            return true;
        }

        @Override
        public void whenRoom(Runnable resume) {
            waiting = resume;
        }

        void resume() {
            Runnable resume = waiting;
            waiting = null;
            resume.run();
        }

        @Override
        public void status(InteractionStatus status) {
            events.add("status " + status.wire());
        }

        @Override
        public void ended() {
            ended = true;
        }
    }

    /** The real step store, whose page reads fail on demand and are counted. */
    private static final class FlakySteps implements StepStore {
        private final StepStore delegate;
        private final AtomicInteger failing = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger pageReads = new AtomicInteger();

        FlakySteps(StepStore delegate) {
            this.delegate = delegate;
        }

        void failNext(int reads) {
            failing.set(reads);
        }

        @Override
        public List<Step> page(String interactionId, long fromSeq, int maxSteps, long maxBytes) {
            if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failures.incrementAndGet();
                throw new StoreException("database unreachable (test)", null);
            }
            pageReads.incrementAndGet();
            return delegate.page(interactionId, fromSeq, maxSteps, maxBytes);
        }

        @Override
        public void append(Step step) {
            delegate.append(step);
        }

        @Override
        public boolean appendAsLeaseHolder(Step step, String ownerId) {
            return delegate.appendAsLeaseHolder(step, ownerId);
        }

        @Override
        public Optional<Step> findByNodeId(String nodeId) {
            return delegate.findByNodeId(nodeId);
        }

        @Override
        public long nextSeq(String interactionId) {
            return delegate.nextSeq(interactionId);
        }

        @Override
        public boolean recordHumanReply(String nodeId, String humanDataJson, String humanFileListJson) {
            return delegate.recordHumanReply(nodeId, humanDataJson, humanFileListJson);
        }
    }
}
