package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.agent.llm.StepShapes.ToolResult;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a goal with a Chat Completions model: asks it for a plan ({@code make_plan}), then works each subtask
 * in a fresh conversation that carries the plan and earlier results, one model request per inner step,
 * until the model calls {@code submit_subtask}. A run fails with a clear {@code failed} step when the model
 * server refuses or times out, when the model keeps answering without a valid tool call, or when the run
 * reaches its step limit; a stop request is honoured between requests.
 */
public final class LlmAgent implements Agent, AutoCloseable {

    public static final String NAME = "llm";
    /** Answers without a valid tool call accepted in a row before the run fails. */
    static final int MAX_REASKS = 2;
    static final int MAX_TOOL_OUTPUT_CHARS = 16_000;

    private final LlmSettings settings;
    private final ModelClient model;
    private final AgentTelemetry telemetry;

    public LlmAgent(LlmSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
        this.model = new ModelClient(settings, telemetry, NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        Run run = new Run(ctx);
        LlmPlan plan = run.plan();
        ctx.emitForReview(StepDraft.of(StepStatus.START, "1", plan.planData()))
                .ifPresent(edit -> plan.applyEdit(0, edit));
        for (int s = 0; s < plan.size(); s++) {
            run.work(plan, s);
            int next = s + 1;
            if (next < plan.size()) {
                StepDraft remaining = StepDraft.of(StepStatus.SUBTASK, plan.subtask(next).taskId(),
                        plan.subtasksFrom(next));
                ctx.emitForReview(remaining).ifPresent(edit -> plan.applyEdit(next, edit));
            }
        }
        ctx.emit(StepDraft.of(StepStatus.FINISHED, "", Json.array()));
    }

    @Override
    public void close() {
        model.close();
    }

    /** One run's state: its requests so far and its workspace. */
    private final class Run {

        private final RunContext ctx;
        private final RunWorkspace workspace;
        private int requests;

        Run(RunContext ctx) {
            this.ctx = ctx;
            this.workspace = new RunWorkspace(ctx);
        }

        LlmPlan plan() throws InterruptedException {
            String goal = ctx.args().path("goal").asText("");
            if (goal.isBlank()) {
                throw new RunFailure("the start frame has no goal (args.goal)");
            }
            List<ChatCompletionMessageParam> messages = new ArrayList<>();
            messages.add(system(Prompts.planningSystem()));
            messages.add(user(Prompts.planningUser(goal, workspace.list())));
            ToolCall.Valid call = validCalls(messages, ToolSet.planning()).getFirst();
            return LlmPlan.from(goal, call.args());
        }

        void work(LlmPlan plan, int index) throws InterruptedException {
            PlannedSubtask subtask = plan.subtask(index);
            List<ChatCompletionMessageParam> messages = new ArrayList<>();
            messages.add(system(Prompts.workingSystem()));
            messages.add(user(plan.brief(index)));
            ToolSet tools = ToolSet.working();
            while (true) {
                for (ToolCall.Valid call : validCalls(messages, tools)) {
                    if (ToolSet.SUBMIT_SUBTASK.equals(call.name())) {
                        submit(plan, index, call);
                        return;
                    }
                    ToolResult result = use(subtask, call);
                    messages.add(toolResult(call.id(), result.output()));
                    Step inner = emitInner(subtask, call, result, ctx.manual());
                    if (ctx.manual()) {
                        messages.add(user(Prompts.humanSaid(replyText(ctx.awaitReply(inner, null)))));
                    }
                }
            }
        }

        /**
         * Asks until the answer has at least one valid tool call, re-asking at most {@link #MAX_REASKS} times;
         * each invalid call gets a tool message saying what was wrong, as the API requires an answer per call.
         */
        private List<ToolCall.Valid> validCalls(List<ChatCompletionMessageParam> messages, ToolSet tools)
                throws InterruptedException {
            String lastProblem = "";
            for (int asked = 0; asked <= MAX_REASKS; asked++) {
                ChatCompletionMessage answer = request(messages, tools);
                messages.add(ChatCompletionMessageParam.ofAssistant(answer.toParam()));
                List<ToolCall.Valid> valid = new ArrayList<>();
                List<ChatCompletionMessageToolCall> calls = answer.toolCalls().orElse(List.of());
                for (ChatCompletionMessageToolCall raw : calls) {
                    if (raw.function().isEmpty()) {
                        lastProblem = "only calls of kinds other than function";
                        continue;
                    }
                    var function = raw.asFunction();
                    ToolCall call = ToolCall.check(function.id(), function.function().name(),
                            function.function().arguments(), tools);
                    switch (call) {
                        case ToolCall.Valid v -> valid.add(v);
                        case ToolCall.Invalid invalid -> {
                            lastProblem = invalid.reason();
                            messages.add(toolResult(invalid.id(), "error: " + invalid.reason()));
                        }
                    }
                }
                if (!valid.isEmpty()) {
                    return valid;
                }
                if (calls.isEmpty()) {
                    lastProblem = "the answer had no tool call" + answer.content()
                            .filter(c -> !c.isBlank()).map(c -> ", only text: " + StepShapes.abbreviate(c, 120)).orElse("");
                }
                telemetry.upstreamError(NAME, AgentTelemetry.BAD_RESPONSE);
                messages.add(user(Prompts.reask(lastProblem)));
            }
            throw new RunFailure("the model answered " + (MAX_REASKS + 1) + " times in a row without a valid tool call; last: "
                    + lastProblem);
        }

        private ChatCompletionMessage request(List<ChatCompletionMessageParam> messages, ToolSet tools)
                throws InterruptedException {
            if (ctx.stopped()) {
                throw new RunStoppedException("the run was stopped");
            }
            if (requests >= settings.maxSteps()) {
                throw new RunFailure("the run reached its limit of " + settings.maxSteps()
                        + " model requests (LLM_MAX_STEPS) before the goal was done");
            }
            requests++;
            return model.next(ctx, messages, tools);
        }

        private ToolResult use(PlannedSubtask subtask, ToolCall.Valid call) throws InterruptedException {
            return switch (call.name()) {
                case ToolSet.READ_FILE -> RunWorkspace.problemWith(call.text("path"))
                        .map(ToolResult::failed)
                        .orElseGet(() -> workspace.read(call.text("path"))
                                .map(content -> ToolResult.success(StepShapes.abbreviate(content, MAX_TOOL_OUTPUT_CHARS)))
                                .orElseGet(() -> ToolResult.failed("no file named " + call.text("path")
                                        + "; the workspace has " + workspace.list())));
                case ToolSet.WRITE_FILE -> RunWorkspace.problemWith(call.text("path"))
                        .map(ToolResult::failed)
                        .orElseGet(() -> write(call.text("path"), call.text("content")));
                case ToolSet.LIST_FILES -> ToolResult.success(Json.write(Json.mapper().valueToTree(workspace.list())));
                case ToolSet.ASK_HUMAN -> ToolResult.success(askHuman(call.text("question")));
                default -> ToolResult.failed("unknown tool " + call.name());
            };
        }

        private ToolResult write(String path, String content) {
            try {
                workspace.write(path, content);
                return ToolResult.success("wrote " + content.length() + " characters to " + path);
            } catch (IllegalArgumentException e) {
                return ToolResult.failed(e.getMessage());
            }
        }

        private String askHuman(String question) throws InterruptedException {
            String nodeId = NodeIds.next();
            Step ask = ctx.emit(new StepDraft(StepStatus.ASK_FOR_HUMAN_HELP, nodeId,
                    Json.mapper().getNodeFactory().textNode(question), nodeId, true));
            return replyText(ctx.awaitReply(ask, null));
        }

        private Step emitInner(PlannedSubtask subtask, ToolCall.Valid call, ToolResult result, boolean awaitReply) {
            String nodeId = NodeIds.next();
            return ctx.emit(new StepDraft(StepStatus.INNER, subtask.taskId(),
                    StepShapes.inner(call, result, subtask, nodeId), nodeId, awaitReply));
        }

        private void submit(LlmPlan plan, int index, ToolCall.Valid call) {
            PlannedSubtask subtask = plan.subtask(index);
            boolean success = call.args().path("success").asBoolean(true);
            plan.completed(index, (success ? "" : "(not achieved) ") + call.text("result"));
            ctx.emit(StepDraft.of(StepStatus.SUBTASK_SUBMIT, subtask.taskId(),
                    StepShapes.submit(call, success, subtask, NodeIds.next())));
            ctx.emit(StepDraft.of(StepStatus.REFINEMENT, subtask.taskId(), StepShapes.refinement(call, subtask)));
        }
    }

    private static String replyText(JsonNode reply) {
        if (reply.isTextual()) {
            return reply.asText();
        }
        for (String field : List.of("content", "thoughts", "reply", "text")) {
            if (reply.path(field).isTextual() && !reply.path(field).asText().isBlank()) {
                return reply.path(field).asText();
            }
        }
        return Json.write(reply);
    }

    private static ChatCompletionMessageParam system(String text) {
        return ChatCompletionMessageParam.ofSystem(ChatCompletionSystemMessageParam.builder().content(text).build());
    }

    private static ChatCompletionMessageParam user(String text) {
        return ChatCompletionMessageParam.ofUser(ChatCompletionUserMessageParam.builder().content(text).build());
    }

    private static ChatCompletionMessageParam toolResult(String callId, String output) {
        return ChatCompletionMessageParam.ofTool(ChatCompletionToolMessageParam.builder()
                .toolCallId(callId).content(output).build());
    }
}
