package io.agentserver.service.agent;

import io.agentserver.service.testing.StoredSteps;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.StepStore;
import io.agentserver.service.store.Stores;
import io.agentserver.service.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs that produce steps as fast as they can are paced by the replica: at most {@code run.max-concurrent-appends}
 * of them append at once, and every one of them still ends with every step stored.
 */
class RunPacingIT {

    private static final int RUNS = 6;
    private static final int STEPS = 12;
    private static final String BURST = "burst";

    @Test
    void noMoreRunsAppendAtOnceThanTheReplicaAllowsAndEveryRunStillStoresEveryStep() throws Exception {
        assertThat(peakConcurrentAppends(2)).isEqualTo(2);
    }

    @Test
    void oneSlotMakesTheReplicasAppendsOneAtATime() throws Exception {
        assertThat(peakConcurrentAppends(1)).isEqualTo(1);
    }

    /** Starts {@link #RUNS} bursts at once; returns the most appends that were in the store at the same time. */
    private static int peakConcurrentAppends(int slots) throws Exception {
        try (Database database = Database.open(TestDatabases.h2())) {
            CountingSteps steps = new CountingSteps(database.stores().steps());
            Stores stores = new Stores(database.stores().users(), database.stores().interactions(),
                    database.stores().parameters(), steps, database.stores().workspace(), database.stores().viewers());
            InMemoryEventBroker broker = new InMemoryEventBroker();
            RunSettings settings = new RunSettings("pacer", Duration.ofSeconds(60), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(1), BURST, slots,
                    RunSettings.DEFAULT_MAX_STEP_BYTES, RunSettings.DEFAULT_VIEWER_LEASE);
            AgentCatalog agents = new AgentCatalog(List.of(new Agent() {
                @Override
                public String name() {
                    return BURST;
                }

                @Override
                public void run(RunContext ctx) {
                    for (int n = 0; n < STEPS; n++) {
                        ctx.emit(StepDraft.of(StepStatus.INNER, "1.1", Json.mapper().getNodeFactory().numberNode(n)));
                    }
                }
            }), BURST);
            try (RunCoordinator runs = new RunCoordinator(settings, stores, broker, agents,
                    new StepLog(stores, broker, new LocalEventFeed(), List.of(), Clock.systemUTC(), RunSettings.DEFAULT_MAX_STEP_BYTES))) {
                List<Interaction> started = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    Instant now = Instant.now();
                    Interaction interaction = new Interaction(NodeIds.next(), "guest", now, now, "d", BURST, "auto",
                            "[]", "", InteractionStatus.CONNECTED, "connected", "0", false, "web", false);
                    stores.interactions().insert(interaction);
                    started.add(interaction);
                }
                for (Interaction interaction : started) {
                    runs.start(new RunRequest(interaction, BURST, "auto", JsonNodeFactory.instance.objectNode(),
                            JsonNodeFactory.instance.arrayNode(), false, true));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!started.stream().allMatch(i -> stores.interactions().find(i.interactionId()).orElseThrow()
                        .status() == InteractionStatus.FINISHED)) {
                    assertThat(System.nanoTime()).as("every run finished within 30 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
                for (Interaction interaction : started) {
                    List<Step> log = StoredSteps.all(stores, interaction.interactionId());
                    assertThat(log).as("the burst, then finished").hasSize(STEPS + 1);
                    assertThat(log.getLast().status()).isEqualTo(StepStatus.FINISHED);
                    assertThat(log.stream().map(Step::seq).toList()).isSorted().doesNotHaveDuplicates();
                }
            }
            return steps.peak.get();
        }
    }

    /** The real store; each append stays in it a few ms, long enough for concurrent appends to overlap. */
    private static final class CountingSteps implements StepStore {
        private final StepStore delegate;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        CountingSteps(StepStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean appendAsLeaseHolder(Step step, String ownerId) {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
                return delegate.appendAsLeaseHolder(step, ownerId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void append(Step step) {
            delegate.append(step);
        }

        @Override
        public List<Step> page(String interactionId, long fromSeq, int maxSteps, long maxBytes) {
            return delegate.page(interactionId, fromSeq, maxSteps, maxBytes);
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
