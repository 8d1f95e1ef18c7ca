package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.ExecutionDirectory.Resolution;
import io.agentserver.service.autogpt.lookup.GraphLookup;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.InteractionStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Which source resolves an execution, and what a client is refused. */
class ExecutionDirectoryTest {

    private static final String OUR_RUN = "d804b49bf766456c88fc4f2127eae30b";
    private static final String AUTOGPT_EXEC = UUID.randomUUID().toString();

    /** Our store, recording every call; knows one run of user {@code u} with agent {@code forge}. */
    private final List<String> storeCalls = new CopyOnWriteArrayList<>();
    private final InteractionStore store = (InteractionStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{InteractionStore.class}, (proxy, method, args) -> {
                storeCalls.add(method.getName() + (args == null ? "" : List.of(args)));
                if (method.getName().equals("find") && OUR_RUN.equals(args[0])) {
                    return Optional.of(new Interaction(OUR_RUN, "u", Instant.EPOCH, Instant.EPOCH, "", "forge", "auto",
                            "[]", "", InteractionStatus.RUNNING, "", "", false, "", false));
                }
                if (method.getName().equals("find")) {
                    return Optional.empty();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    /** AutoGPT's database: user {@code u}'s execution of graph {@code g}. */
    private final List<String> lookups = new ArrayList<>();
    private final GraphLookup autogpt = new GraphLookup() {
        @Override
        public Optional<String> graphOf(String userId, String graphExecId) {
            lookups.add(userId + "/" + graphExecId);
            return Optional.ofNullable(Map.of("u/" + AUTOGPT_EXEC, "g").get(userId + "/" + graphExecId));
        }

        @Override
        public void close() {
        }
    };

    @Test
    void theClassicSchemeWithoutAutoGptsDatabaseChecksNothingAndReadsNothing() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.CLASSIC, store, Optional.empty());

        assertThat(directory.resolve("u", AUTOGPT_EXEC)).isEqualTo(new Resolution.Unchecked());
        assertThat(directory.resolve("u", OUR_RUN)).isEqualTo(new Resolution.Unchecked());
        assertThat(storeCalls).isEmpty();
    }

    @Test
    void anAutoGptExecutionIsResolvedFromAutoGptsDatabaseWithoutAnyReadOfOurStore() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.SHARDED, store, Optional.of(autogpt));

        assertThat(directory.resolve("u", AUTOGPT_EXEC)).isEqualTo(new Resolution.Found("g", false));
        assertThat(directory.resolve("u", "not-a-uuid-but-no-hex-either")).isInstanceOf(Resolution.Refused.class);
        assertThat(storeCalls).isEmpty();
    }

    @Test
    void ourOwnRunIsResolvedFromOurStoreWithoutAskingAutoGpt() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.SHARDED, store, Optional.of(autogpt));

        assertThat(directory.resolve("u", OUR_RUN)).isEqualTo(new Resolution.Found("forge", true));
        assertThat(lookups).isEmpty();
    }

    @Test
    void anotherUsersExecutionAndAnUnknownOneGetTheSameRefusal() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.SHARDED, store, Optional.of(autogpt));

        assertThat(directory.resolve("intruder", AUTOGPT_EXEC))
                .isEqualTo(new Resolution.Refused("Graph execution #" + AUTOGPT_EXEC + " not found"));
        assertThat(directory.resolve("intruder", OUR_RUN))
                .isEqualTo(new Resolution.Refused("Graph execution #" + OUR_RUN + " not found"));
        String unknown = UUID.randomUUID().toString();
        assertThat(directory.resolve("u", unknown))
                .isEqualTo(new Resolution.Refused("Graph execution #" + unknown + " not found"));
    }

    @Test
    void withAutoGptsDatabaseTheClassicSchemeChecksAccessToo() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.CLASSIC, store, Optional.of(autogpt));

        assertThat(directory.resolve("intruder", AUTOGPT_EXEC)).isInstanceOf(Resolution.Refused.class);
        assertThat(directory.resolve("u", AUTOGPT_EXEC).graph()).contains("g");
    }

    @Test
    void theShardedSchemeWithoutAutoGptsDatabaseResolvesOnlyOurRuns() {
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.SHARDED, store, Optional.empty());

        assertThat(directory.resolve("u", AUTOGPT_EXEC)).isInstanceOf(Resolution.Refused.class);
        assertThat(directory.resolve("u", OUR_RUN).graph()).contains("forge");
    }

    @Test
    void aDatabaseThatCannotAnswerIsARefusalThatSaysRetry() {
        GraphLookup failing = new GraphLookup() {
            @Override
            public Optional<String> graphOf(String userId, String graphExecId) {
                throw new LookupFailedException("connection refused", null);
            }

            @Override
            public void close() {
            }
        };
        ExecutionDirectory directory = new ExecutionDirectory(AutoGptBus.SHARDED, store, Optional.of(failing));

        assertThat(directory.resolve("u", AUTOGPT_EXEC))
                .isEqualTo(new Resolution.Refused(ExecutionDirectory.LOOKUP_FAILED));
    }
}
