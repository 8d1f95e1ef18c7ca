package io.agentserver.service.agent.llm;

import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.LiveOutput;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.store.Step;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.agentserver.service.agent.llm.FakeChatServer.args;
import static io.agentserver.service.agent.llm.FakeChatServer.call;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed answer told to {@link LiveOutput} as it arrives, against the fake server over real HTTP: one
 * completion, text deltas, each call started once with its id and name then its argument fragments, usage from
 * the last chunk, the end; the fragments put together are the arguments the step shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamedAnswerTest {

    private final FakeChatServer fake = new FakeChatServer();
    private final ModelClient client = new ModelClient(new LlmSettings(fake.baseUrl(), Optional.empty(),
            Optional.of("m"), Duration.ofSeconds(10), 10, 100, 0), AgentTelemetry.NONE, "llm");

    @AfterAll
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void everyPieceReachesTheLiveOutputInOrderAndTheAnswerIsWhole() throws InterruptedException {
        String a = Json.write(args("path", "a.txt", "content", "the first file, long enough to be split"));
        String b = Json.write(args("path", "b.txt", "content", "second"));
        FakeChatServer.Answer answer = toolCalls(call("write_file", (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(a)),
                call("write_file", (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(b)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer.message()).put("content", "Writing two files now.");
        fake.then(answer);
        List<String> events = new CopyOnWriteArrayList<>();
        StringBuilder argsOfFirst = new StringBuilder();
        LiveOutput live = new LiveOutput() {
            @Override
            public void completionStarted(String id) {
                events.add("start " + id);
            }

            @Override
            public void textDelta(String id, String delta) {
                events.add("text");
            }

            @Override
            public void toolCallStarted(String id, int index, String callId, String name) {
                events.add("call " + index + " " + name);
            }

            @Override
            public void toolCallArguments(String id, String callId, String fragment) {
                if (events.stream().filter(e -> e.startsWith("call ")).count() == 1) {
                    argsOfFirst.append(fragment);
                }
                events.add("args");
            }

            @Override
            public void usage(String id, long prompt, long completion) {
                events.add("usage " + prompt + "+" + completion);
            }

            @Override
            public void completionEnded(String id, String finishReason) {
                events.add("end " + finishReason);
            }
        };
        ModelAnswer result = client.next(new LiveContext(live), List.of(ChatCompletionMessageParam.ofUser(
                ChatCompletionUserMessageParam.builder().content("go").build())), ToolSet.working(false),
                ToolChoice.AUTO, "c1");

        assertThat(result.text()).isEqualTo("Writing two files now.");
        assertThat(result.calls()).extracting(ModelAnswer.Call::arguments).containsExactly(a, b);
        assertThat(result.usage()).isEqualTo(new ModelAnswer.Usage(FakeChatServer.PROMPT_TOKENS,
                FakeChatServer.COMPLETION_TOKENS, false));
        assertThat(argsOfFirst.toString()).isEqualTo(a);
        assertThat(events.getFirst()).isEqualTo("start c1");
        assertThat(events.getLast()).isEqualTo("end tool_calls");
        assertThat(events).containsSubsequence("text", "call 0 write_file", "args", "call 1 write_file", "args",
                "usage 100+20", "end tool_calls");
        assertThat(events.stream().filter(e -> e.equals("text")).count()).as("text in pieces").isGreaterThan(1);
        assertThat(events.stream().filter(e -> e.equals("args")).count()).as("arguments in fragments").isGreaterThan(4);
    }

    @Test
    void aRequestSentAgainWithoutARefusedFieldIsANewCompletionAfterTheFirstEndedAbandoned() throws InterruptedException {
        try (FakeChatServer refusing = new FakeChatServer();
             ModelClient own = new ModelClient(new LlmSettings(refusing.baseUrl(), Optional.empty(), Optional.of("m"),
                     Duration.ofSeconds(10), 10, 100, 0), AgentTelemetry.NONE, "llm")) {
            refusing.behave(FakeChatServer.Behaviour.STANDARD.refusingToolChoice())
                    .then(FakeChatServer.text("no tools today"));
            List<String> events = new CopyOnWriteArrayList<>();
            LiveOutput live = new LiveOutput() {
                @Override
                public void completionStarted(String id) {
                    events.add("start " + id);
                }

                @Override
                public void completionEnded(String id, String finishReason) {
                    events.add("end " + id + " " + finishReason);
                }
            };
            ModelAnswer answer = own.next(new LiveContext(live), List.of(ChatCompletionMessageParam.ofUser(
                    ChatCompletionUserMessageParam.builder().content("go").build())), ToolSet.planning(),
                    ToolChoice.named(ToolSet.MAKE_PLAN), "c7");
            assertThat(answer.text()).isEqualTo("no tools today");
            assertThat(events).containsExactly("start c7", "end c7 abandoned", "start c7-2", "end c7-2 stop");
            assertThat(refusing.requests()).extracting(FakeChatServer.Request::status).containsExactly(400, 200);
        }
    }

    /** A run context that only has a live output (the model client asks nothing else of it here). */
    private record LiveContext(LiveOutput live) implements RunContext {

        @Override
        public LiveOutput liveOutput() {
            return live;
        }

        @Override
        public String interactionId() {
            return "0123456789abcdef0123456789abcdef";
        }

        @Override
        public String userId() {
            return "u";
        }

        @Override
        public JsonNode args() {
            return Json.object();
        }

        @Override
        public String mode() {
            return "auto";
        }

        @Override
        public JsonNode files() {
            return Json.array();
        }

        @Override
        public Step emit(StepDraft draft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode awaitReply(Step step, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeFile(String name, byte[] content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> upload(String uuid) {
            return Optional.empty();
        }

        @Override
        public boolean stopped() {
            return false;
        }

        @Override
        public void pause(Duration duration) {
        }
    }
}
