package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Plans as models write them in text. */
class TextPlanTest {

    @Test
    void aJsonObjectWithSubtasksInAFencedBlockAfterProse() {
        assertThat(goals(TextPlan.parse("Sure! Here is the plan.\n```json\n{\"subtasks\":[{\"name\":\"A\",\"goal\":"
                + "\"do a\",\"milestones\":[\"a done\"]},{\"goal\":\"do b\"}]}\n```\nLet me know.")))
                .containsExactly("do a", "do b");
    }

    @Test
    void aBareJsonArrayOfStringsOrOfObjectsWithOtherKeys() {
        assertThat(goals(TextPlan.parse("[\"first\", \"second\"]"))).containsExactly("first", "second");
        assertThat(goals(TextPlan.parse("{\"plan\":[{\"task\":\"t1\"},{\"description\":\"t2\"}]}")))
                .containsExactly("t1", "t2");
        assertThat(goals(TextPlan.parse("{\"steps\":[{\"title\":\"only a title\"}]}"))).containsExactly("only a title");
    }

    @Test
    void aNumberedListInProseInItsOwnOrder() {
        assertThat(goals(TextPlan.parse("""
                I will:
                1. Read the notes
                2) **Summarise** them
                Step 3: Write summary.md
                5. a stray number that does not continue the list
                Then I am done.""")))
                .containsExactly("Read the notes", "Summarise them", "Write summary.md");
    }

    @Test
    void textWithoutAPlanIsNone() {
        assertThat(TextPlan.parse("The task is complete.")).isEmpty();
        assertThat(TextPlan.parse("I need 2 things: time and patience.")).isEmpty();
        assertThat(TextPlan.parse("{\"answer\": 42}")).isEmpty();
        assertThat(TextPlan.parse("")).isEmpty();
    }

    private static List<String> goals(Optional<ObjectNode> plan) {
        assertThat(plan).isPresent();
        List<String> goals = new ArrayList<>();
        plan.get().path("subtasks").forEach(s -> goals.add(s.path("goal").asText()));
        return goals;
    }
}
