package io.agentserver.service.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentCatalogTest {

    private final Agent demo = named("demo");
    private final Agent llm = named("llm");

    @Test
    void aClientThatNamesNoneOrAnUnknownAgentGetsTheDefault() {
        AgentCatalog catalog = new AgentCatalog(List.of(demo, llm), "llm");
        assertThat(catalog.resolve(null)).isSameAs(llm);
        assertThat(catalog.resolve("XAgent")).isSameAs(llm);
        assertThat(catalog.resolve("demo")).isSameAs(demo);
    }

    @Test
    void aDefaultThatNamesNoRegisteredAgentStopsTheStartWithTheNames() {
        assertThatThrownBy(() -> new AgentCatalog(List.of(demo), "llm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AGENTS_DEFAULT")
                .hasMessageContaining("'llm'")
                .hasMessageContaining("[demo]");
    }

    private static Agent named(String name) {
        return new Agent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(RunContext context) {
            }
        };
    }
}
