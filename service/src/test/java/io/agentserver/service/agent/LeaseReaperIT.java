package io.agentserver.service.agent;

import io.agentserver.service.testing.StoredSteps;
import io.agentserver.service.agent.demo.DemoAgent;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.agentserver.service.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica that died leaves runs behind; another replica ends them instead of leaving them running. */
class LeaseReaperIT {

    @Test
    void aRunWhoseReplicaStoppedRenewingIsEndedAsFailedWithAFinalStep() {
        try (Database database = Database.open(TestDatabases.postgres());
             InMemoryEventBroker broker = new InMemoryEventBroker()) {
            Stores stores = database.stores();
            Instant now = Instant.now();
            String orphan = NodeIds.next();
            String healthy = NodeIds.next();
            for (String id : List.of(orphan, healthy)) {
                stores.interactions().insert(new Interaction(id, "guest", now, now, "d", "demo", "auto", "[]", "",
                        InteractionStatus.RUNNING, "running", "0", false, "web", false));
            }
            stores.interactions().claimLease(orphan, "dead-replica", Duration.ofSeconds(-60));
            stores.interactions().claimLease(healthy, "live-replica", Duration.ofSeconds(60));

            RunSettings settings = new RunSettings("survivor", Duration.ofSeconds(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1), DemoAgent.NAME,
                    RunSettings.DEFAULT_MAX_CONCURRENT_APPENDS, RunSettings.DEFAULT_MAX_STEP_BYTES,
                    RunSettings.DEFAULT_VIEWER_LEASE);
            StepLog log = new StepLog(stores, broker, new LocalEventFeed(), List.of(), Clock.systemUTC(), RunSettings.DEFAULT_MAX_STEP_BYTES);
            RunCoordinator survivor = new RunCoordinator(settings, stores, broker,
                    new AgentCatalog(List.of(new DemoAgent()), DemoAgent.NAME), log);

            survivor.reapOrphans();

            assertThat(stores.interactions().find(orphan).orElseThrow().status()).isEqualTo(InteractionStatus.FAILED);
            List<Step> steps = StoredSteps.all(stores, orphan);
            assertThat(steps).hasSize(1);
            assertThat(steps.get(0).status()).isEqualTo(StepStatus.FAILED);
            assertThat(steps.get(0).dataJson()).contains("stopped");
            assertThat(stores.interactions().leaseOwner(orphan)).isEmpty();
            assertThat(stores.interactions().find(healthy).orElseThrow().status()).isEqualTo(InteractionStatus.RUNNING);
            assertThat(stores.interactions().leaseOwner(healthy)).contains("live-replica");
            survivor.close();
        }
    }
}
