package io.agentserver.service.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A deterministic agent: plan, then for each subtask a few reasoning steps (the first writes a report into
 * the workspace), a submit, a refinement and the list of what remains. In manual mode it waits for the
 * human before each subtask and each inner step but the first, and uses what the human edited.
 */
public final class DemoAgent implements Agent {

    public static final String NAME = "demo";
    static final String REPORT_FILE = "report.md";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        DemoScript script = DemoScript.from(ctx.args());
        DemoPlan plan = new DemoPlan(ctx.args().path("goal").asText(""), script.subtasks());

        ctx.emitForReview(StepDraft.of(StepStatus.START, "1", plan.planData()))
                .ifPresent(edit -> plan.applyEdit(0, edit));

        Optional<JsonNode> humanSaid = Optional.empty();
        for (int s = 0; s < plan.size(); s++) {
            PlannedSubtask subtask = plan.subtask(s);
            for (int i = 1; i <= script.inner(); i++) {
                ctx.pause(script.delay());
                if (s == 0 && i == 1 && script.askHuman()) {
                    humanSaid = Optional.of(askHuman(ctx, subtask));
                    ctx.pause(script.delay());
                }
                boolean waitAfter = ctx.manual() && i < script.inner();
                Step inner = emitInner(ctx, plan, subtask, i, humanSaid, waitAfter);
                humanSaid = Optional.empty();
                if (s == 0 && i == 1) {
                    script.failure().ifPresent(message -> {
                        throw new RunFailure(message);
                    });
                }
                if (waitAfter) {
                    humanSaid = Optional.of(ctx.awaitReply(inner, null));
                }
            }
            ctx.pause(script.delay());
            ctx.emit(StepDraft.of(StepStatus.SUBTASK_SUBMIT, subtask.taskId(), submitData(subtask)));
            ctx.pause(script.delay());
            ctx.emit(StepDraft.of(StepStatus.REFINEMENT, subtask.taskId(), refinementData(subtask)));
            int next = s + 1;
            if (next < plan.size()) {
                ctx.pause(script.delay());
                StepDraft remaining = StepDraft.of(StepStatus.SUBTASK, plan.subtask(next).taskId(),
                        plan.subtasksFrom(next));
                ctx.emitForReview(remaining).ifPresent(edit -> plan.applyEdit(next, edit));
            }
        }
        ctx.pause(script.delay());
        ctx.emit(StepDraft.of(StepStatus.FINISHED, "", Json.array()));
    }

    private Step emitInner(RunContext ctx, DemoPlan plan, PlannedSubtask subtask, int index,
                           Optional<JsonNode> humanSaid, boolean awaitReply) {
        String nodeId = NodeIds.next();
        boolean writesReport = subtask.taskId().equals("1.1") && index == 1;
        ObjectNode data = Json.object();
        data.put("thoughts", humanSaid
                .map(h -> "The human answered: " + (h.path("thoughts").isTextual() ? h.path("thoughts").asText() : Json.write(h)))
                .orElse("Step " + index + " of " + subtask.taskId() + ": " + subtask.goal()));
        data.put("reasoning", humanSaid.map(h -> h.path("reasoning").asText("")).filter(r -> !r.isEmpty())
                .orElse("Working towards: " + subtask.goal()));
        data.set("plan", Json.array().add("Do step " + index + " of " + subtask.name()));
        data.put("criticism", humanSaid.map(h -> h.path("criticism").asText("")).filter(r -> !r.isEmpty())
                .orElse("Keep the step small."));
        data.put("node_id", nodeId);
        ObjectNode tool = data.putObject("using_tools");
        if (writesReport) {
            String content = "# " + plan.goal() + "\n\nWorking on " + subtask.goal() + "\n";
            ctx.writeFile(REPORT_FILE, content.getBytes(StandardCharsets.UTF_8));
            tool.put("tool_name", "FileSystemEnv_write_to_file");
            tool.set("tool_input", Json.object().put("filepath", REPORT_FILE).put("content", content));
            tool.put("tool_output", "Success: wrote " + REPORT_FILE);
        } else {
            tool.put("tool_name", "ask_demo_oracle");
            tool.set("tool_input", Json.object().put("question", subtask.goal()));
            tool.put("tool_output", "Noted step " + index + " of " + subtask.taskId());
        }
        tool.put("tool_status_code", "TOOL_CALL_SUCCESS");
        tool.set("thought_data", Json.object().put("thought", data.path("thoughts").asText())
                .put("reasoning", data.path("reasoning").asText()));
        StepDraft draft = new StepDraft(StepStatus.INNER, subtask.taskId(), data, nodeId, awaitReply);
        return ctx.emit(draft);
    }

    private JsonNode askHuman(RunContext ctx, PlannedSubtask subtask) throws InterruptedException {
        String nodeId = NodeIds.next();
        String question = "Before I continue with " + subtask.taskId() + ": what should the result focus on?";
        Step ask = ctx.emit(new StepDraft(StepStatus.ASK_FOR_HUMAN_HELP, nodeId,
                Json.mapper().getNodeFactory().textNode(question), nodeId, true));
        return ctx.awaitReply(ask, null);
    }

    private ObjectNode submitData(PlannedSubtask subtask) {
        ObjectNode data = Json.object();
        data.put("thoughts", "Subtask " + subtask.taskId() + " is done.");
        data.put("reasoning", "Its milestone is reached: " + subtask.goal());
        data.set("plan", Json.array().add("Submit " + subtask.taskId()));
        data.put("criticism", "None.");
        data.put("node_id", NodeIds.next());
        ObjectNode tool = data.putObject("using_tools");
        tool.put("tool_name", "subtask_submit");
        tool.set("tool_input", Json.object().put("result", "Done: " + subtask.goal()));
        tool.put("tool_output", "Subtask " + subtask.taskId() + " submitted");
        tool.put("tool_status_code", "SUBMIT_AS_SUCCESS");
        tool.set("thought_data", Json.object().put("thought", "Submit " + subtask.taskId()));
        return data;
    }

    private ObjectNode refinementData(PlannedSubtask subtask) {
        ObjectNode data = Json.object();
        data.put("name", subtask.name());
        data.put("goal", subtask.goal());
        data.put("prior_plan_criticism", "The plan for " + subtask.taskId() + " held.");
        data.set("posterior_plan_reflection", Json.array().add("Nothing to change after " + subtask.taskId()));
        data.set("milestones", Json.array().add("Finish: " + subtask.goal()));
        data.set("tool_reflection", Json.array().add(Json.object()
                .put("target_tool_name", "ask_demo_oracle").put("reflection", "Answered quickly.")));
        data.put("action_list_summary", "Worked through " + subtask.goal());
        data.put("task_id", subtask.taskId());
        return data;
    }
}
