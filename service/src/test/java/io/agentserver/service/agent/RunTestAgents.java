package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Small agents whose behaviour a test can count on. */
final class RunTestAgents {

    /** Emits a step every 50 ms until stopped. */
    static final String STEPPER = "stepper";
    /** Asks once, waits for the reply, emits it back in a step and ends. */
    static final String ASKER = "asker";
    /** Asks once, waits for the reply, then writes {@link #WRITTEN_FILE} and emits a step. */
    static final String ASK_THEN_WRITE = "ask-then-write";
    static final String WRITTEN_FILE = "after-reply.txt";

    private RunTestAgents() {
    }

    static AgentCatalog catalog() {
        return new AgentCatalog(List.of(agent(STEPPER, RunTestAgents::stepUntilStopped),
                agent(ASKER, RunTestAgents::askOnce), agent(ASK_THEN_WRITE, RunTestAgents::askThenWrite)), STEPPER);
    }

    private static void stepUntilStopped(RunContext ctx) throws InterruptedException {
        for (int n = 0; ; n++) {
            ctx.emit(StepDraft.of(StepStatus.INNER, "task", Json.mapper().getNodeFactory().numberNode(n)));
            ctx.pause(Duration.ofMillis(50));
        }
    }

    private static void askOnce(RunContext ctx) throws InterruptedException {
        Step ask = ctx.emit(StepDraft.of(StepStatus.INNER, "task", Json.mapper().getNodeFactory().textNode("ask"))
                .awaitingReply());
        JsonNode reply = ctx.awaitReply(ask, null);
        ctx.emit(StepDraft.of(StepStatus.INNER, "task", reply));
    }

    private static void askThenWrite(RunContext ctx) throws InterruptedException {
        Step ask = ctx.emit(StepDraft.of(StepStatus.INNER, "task", Json.mapper().getNodeFactory().textNode("ask"))
                .awaitingReply());
        ctx.awaitReply(ask, null);
        ctx.writeFile(WRITTEN_FILE, "written after the reply".getBytes(StandardCharsets.UTF_8));
        ctx.emit(StepDraft.of(StepStatus.INNER, "task", Json.mapper().getNodeFactory().textNode("written")));
    }

    private interface Body {
        void run(RunContext ctx) throws InterruptedException;
    }

    private static Agent agent(String name, Body body) {
        return new Agent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(RunContext context) throws InterruptedException {
                body.run(context);
            }
        };
    }
}
