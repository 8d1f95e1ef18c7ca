package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
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
import io.agentserver.service.quota.RunBudget;
import io.agentserver.service.quota.TokenLedger;
import io.agentserver.service.store.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a goal with a Chat Completions model: asks it for a plan ({@code make_plan}, named in {@code tool_choice};
 * a plan written as text — JSON or a numbered list — is read too, and text without one makes the goal a single
 * subtask), then works each subtask in a fresh conversation that carries the plan and earlier results, one model
 * request per turn. Every tool call of an answer runs, in order, and is answered with its tool message before any
 * other message (a human's words in manual mode come after all of them); {@code submit_subtask}, or an answer
 * that is plain text, ends the subtask. {@code ask_human} is offered only where a human can answer: in manual
 * mode, or when the start frame says {@code "human_help": true}. A run fails with a clear {@code failed} step
 * when the model server refuses or times out, when the model keeps answering with invalid calls, or when the run
 * reaches its step or token limit; a stop request is honoured between requests and within a streamed answer.
 * The final step says what the run spent.
 */
public final class LlmAgent implements Agent, AutoCloseable {

    public static final String NAME = "llm";
    /** The start frame's {@code args} field by which a client says it can answer {@code ask_for_human_help} steps. */
    public static final String HUMAN_HELP_ARG = "human_help";
    /** Answers without a valid tool call accepted in a row before the run fails. */
    static final int MAX_REASKS = 2;
    static final int MAX_TOOL_OUTPUT_CHARS = 16_000;

    private final LlmSettings settings;
    private final ModelClient model;
    private final TokenLedger ledger;

    public LlmAgent(LlmSettings settings, AgentTelemetry telemetry, TokenLedger ledger) {
        this.settings = settings;
        this.ledger = ledger;
        this.model = new ModelClient(settings, telemetry, NAME);
    }

    public LlmAgent(LlmSettings settings, AgentTelemetry telemetry) {
        this(settings, telemetry, TokenLedger.unlimited());
    }

    /** Its model's answers stream: text and tool-call arguments reach the run's live output as they arrive. */
    @Override
    public boolean streamsOutput() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        Run run = new Run(ctx);
        try {
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
            ctx.emit(StepDraft.of(StepStatus.FINISHED, "",
                    Json.array().add(Json.object().set("spend", run.budget.spent().toJson()))));
        } catch (RunFailure e) {
            throw new RunFailure(e.getMessage() + " (" + run.budget.spent().sentence() + ")");
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /** One run's state: its requests so far, its budget and its workspace. */
    private final class Run {

        private final RunContext ctx;
        private final RunWorkspace workspace;
        private final RunBudget budget;
        private final boolean humanCanAnswer;
        private int requests;

        Run(RunContext ctx) {
            this.ctx = ctx;
            this.workspace = new RunWorkspace(ctx);
            this.budget = ledger.open(ctx.userId(), ctx.interactionId(), NAME);
            this.humanCanAnswer = ctx.manual() || ctx.args().path(HUMAN_HELP_ARG).asBoolean(false);
        }

        /**
         * The plan: a valid {@code make_plan} call, else a plan in the answer's text, else (text without a plan)
         * the goal as one subtask. An empty answer or only invalid calls are asked again.
         */
        LlmPlan plan() throws InterruptedException {
            String goal = ctx.args().path("goal").asText("");
            if (goal.isBlank()) {
                throw new RunFailure("the start frame has no goal (args.goal)");
            }
            List<ChatCompletionMessageParam> messages = new ArrayList<>();
            messages.add(system(Prompts.planningSystem()));
            messages.add(user(Prompts.planningUser(goal, workspace.list())));
            ToolSet tools = ToolSet.planning();
            String lastProblem = "";
            for (int asked = 0; asked <= MAX_REASKS; asked++) {
                ModelAnswer answer = request(messages, tools, ToolChoice.named(ToolSet.MAKE_PLAN));
                messages.add(answer.toParam());
                ToolCall.Valid plan = null;
                for (ModelAnswer.Call raw : answer.calls()) {
                    switch (check(raw, tools)) {
                        case ToolCall.Valid v -> {
                            messages.add(toolResult(v.id(), plan == null ? "plan recorded"
                                    : "error: only the first plan counts"));
                            plan = plan == null ? v : plan;
                        }
                        case ToolCall.Invalid invalid -> {
                            lastProblem = invalid.reason();
                            messages.add(toolResult(invalid.id(), "error: " + invalid.reason()));
                        }
                    }
                }
                if (plan != null) {
                    return LlmPlan.from(goal, plan.args());
                }
                if (!answer.hasCalls() && !answer.text().isBlank()) {
                    return LlmPlan.from(goal, TextPlan.parse(answer.text())
                            .orElseGet(() -> singleSubtask(goal)));
                }
                if (!answer.hasCalls()) {
                    lastProblem = "the answer was empty";
                }
                messages.add(user(Prompts.reask(lastProblem)));
            }
            throw new RunFailure("the model answered " + (MAX_REASKS + 1) + " times in a row without a usable plan;"
                    + " last: " + lastProblem);
        }

        /**
         * Works subtask {@code index} until the model submits it (a {@code submit_subtask} call, or a plain-text
         * answer that is the result). Every call of an answer runs in order and gets its tool message; the human's
         * words (manual mode) and any re-ask follow after all of them.
         */
        void work(LlmPlan plan, int index) throws InterruptedException {
            PlannedSubtask subtask = plan.subtask(index);
            List<ChatCompletionMessageParam> messages = new ArrayList<>();
            messages.add(system(Prompts.workingSystem(humanCanAnswer)));
            messages.add(user(plan.brief(index)));
            ToolSet tools = ToolSet.working(humanCanAnswer);
            int fruitless = 0;
            String lastProblem = "";
            while (true) {
                ModelAnswer answer = request(messages, tools, fruitless == 0 ? ToolChoice.AUTO : ToolChoice.REQUIRED);
                messages.add(answer.toParam());
                if (!answer.hasCalls()) {
                    if (!answer.text().isBlank()) {
                        submit(plan, index, textResult(answer.text()));
                        return;
                    }
                    lastProblem = "the answer was empty";
                } else {
                    Turn turn = runCalls(subtask, answer, tools, messages);
                    if (!turn.humanSaid().isEmpty()) {
                        messages.add(user(Prompts.humanSaid(String.join("\n", turn.humanSaid()))));
                    }
                    if (turn.submit() != null) {
                        submit(plan, index, turn.submit());
                        return;
                    }
                    if (turn.ran() > 0) {
                        fruitless = 0;
                        continue;
                    }
                    lastProblem = turn.lastProblem();
                }
                if (++fruitless > MAX_REASKS) {
                    throw new RunFailure("the model answered " + (MAX_REASKS + 1)
                            + " times in a row without a valid tool call; last: " + lastProblem);
                }
                messages.add(user(Prompts.reask(lastProblem)));
            }
        }

        /** What one answer's calls did: how many ran, the submit among them, the human's words, the last problem. */
        private record Turn(int ran, ToolCall.Valid submit, List<String> humanSaid, String lastProblem) {
        }

        private Turn runCalls(PlannedSubtask subtask, ModelAnswer answer, ToolSet tools,
                              List<ChatCompletionMessageParam> messages) throws InterruptedException {
            int ran = 0;
            ToolCall.Valid submit = null;
            List<String> humanSaid = new ArrayList<>();
            String lastProblem = "";
            for (ModelAnswer.Call raw : answer.calls()) {
                switch (check(raw, tools)) {
                    case ToolCall.Invalid invalid -> {
                        lastProblem = invalid.reason();
                        messages.add(toolResult(invalid.id(), "error: " + invalid.reason()));
                    }
                    case ToolCall.Valid call when ToolSet.SUBMIT_SUBTASK.equals(call.name()) -> {
                        // honoured after the other calls of the answer ran
                        if (submit == null) {
                            submit = call;
                            messages.add(toolResult(call.id(), "the subtask will be submitted"));
                        } else {
                            messages.add(toolResult(call.id(), "error: the subtask is already submitted"));
                        }
                    }
                    case ToolCall.Valid call -> {
                        ToolResult result = use(call);
                        messages.add(toolResult(call.id(), result.output()));
                        Step inner = emitInner(subtask, call, result, answer.text(), ctx.manual());
                        ran++;
                        if (ctx.manual()) {
                            humanSaid.add(replyText(ctx.awaitReply(inner, null)));
                        }
                    }
                }
            }
            return new Turn(ran, submit, humanSaid, lastProblem);
        }

        private ToolCall check(ModelAnswer.Call raw, ToolSet tools) {
            if (!raw.function()) {
                return new ToolCall.Invalid(raw.id(), raw.name(), raw.arguments(),
                        "only function tools are offered; use one of " + tools.names());
            }
            return ToolCall.check(raw.id(), raw.name(), raw.arguments(), tools);
        }

        private ModelAnswer request(List<ChatCompletionMessageParam> messages, ToolSet tools, ToolChoice choice)
                throws InterruptedException {
            if (ctx.stopped()) {
                throw new RunStoppedException("the run was stopped");
            }
            if (requests >= settings.maxSteps()) {
                throw new RunFailure("the run reached its limit of " + settings.maxSteps()
                        + " model requests (LLM_MAX_STEPS) before the goal was done");
            }
            budget.exhausted().ifPresent(reason -> {
                throw new RunFailure(reason);
            });
            requests++;
            ModelAnswer answer = model.next(ctx, messages, tools, choice, NodeIds.next());
            budget.charge(answer.usage().promptTokens(), answer.usage().completionTokens(), answer.usage().estimated());
            return answer;
        }

        private ToolResult use(ToolCall.Valid call) throws InterruptedException {
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

        /**
         * Asks the human and waits at most {@link LlmSettings#askHumanTimeout()}: a question nobody answers costs
         * that long, then the model hears so and the run goes on.
         */
        private String askHuman(String question) throws InterruptedException {
            String nodeId = NodeIds.next();
            Step ask = ctx.emit(new StepDraft(StepStatus.ASK_FOR_HUMAN_HELP, nodeId,
                    Json.mapper().getNodeFactory().textNode(question), nodeId, true));
            try {
                return replyText(ctx.awaitReply(ask, settings.askHumanTimeout()));
            } catch (RunFailure noAnswer) {
                return Prompts.noHumanAnswer(settings.askHumanTimeout().toSeconds());
            }
        }

        private Step emitInner(PlannedSubtask subtask, ToolCall.Valid call, ToolResult result, String answerText,
                               boolean awaitReply) {
            String nodeId = NodeIds.next();
            ObjectNode data = StepShapes.inner(call, result, subtask, nodeId);
            if (call.text("thoughts").isBlank() && !answerText.isBlank()) {
                data.put("thoughts", StepShapes.abbreviate(answerText.strip(), StepShapes.MAX_SHOWN_OUTPUT_CHARS));
            }
            return ctx.emit(new StepDraft(StepStatus.INNER, subtask.taskId(), data, nodeId, awaitReply));
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

    /** A plain-text answer during a subtask, read as {@code submit_subtask} with the text as the result. */
    private static ToolCall.Valid textResult(String text) {
        String result = text.strip();
        ObjectNode args = Json.object().put("result", result).put("success", true)
                .put("thoughts", StepShapes.abbreviate(result, 400));
        return new ToolCall.Valid("text-answer", ToolSet.SUBMIT_SUBTASK, args);
    }

    private static ObjectNode singleSubtask(String goal) {
        ObjectNode args = Json.object();
        args.putArray("subtasks").addObject().put("goal", goal);
        return args;
    }

    private static String replyText(JsonNode reply) {
        if (reply.isTextual()) {
            return reply.asText();
        }
        for (String field : List.of("content", "thoughts", "reply", "text", "answer")) {
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
