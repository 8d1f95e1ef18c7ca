package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionTool;
import io.agentserver.service.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tools offered to the model in one phase of a run, with their JSON schemas. Planning offers only
 * {@code make_plan}; working on a subtask offers the workspace tools, {@code submit_subtask} and, where a human can
 * answer, {@code ask_human}, each also taking the {@code thoughts}/{@code reasoning}/{@code plan}/{@code criticism}
 * that XAgent shows with every step. There is no network or shell tool.
 */
final class ToolSet {

    static final String MAKE_PLAN = "make_plan";
    static final String READ_FILE = "read_file";
    static final String WRITE_FILE = "write_file";
    static final String LIST_FILES = "list_files";
    static final String ASK_HUMAN = "ask_human";
    static final String SUBMIT_SUBTASK = "submit_subtask";

    private record Tool(String description, ObjectNode properties, List<String> required) {
    }

    private final Map<String, Tool> tools;

    private ToolSet(Map<String, Tool> tools) {
        this.tools = tools;
    }

    static ToolSet planning() {
        Map<String, Tool> tools = new LinkedHashMap<>();
        ObjectNode subtaskProperties = Json.object();
        subtaskProperties.set("name", string("a short name"));
        subtaskProperties.set("goal", string("what this subtask must achieve"));
        subtaskProperties.set("milestones", Json.object().put("type", "array")
                .set("items", Json.object().put("type", "string")));
        ObjectNode subtask = Json.object().put("type", "object");
        subtask.set("properties", subtaskProperties);
        subtask.set("required", Json.array().add("name").add("goal"));
        ObjectNode properties = Json.object();
        properties.set("subtasks", Json.object().put("type", "array")
                .put("description", "1 to " + LlmPlan.MAX_SUBTASKS + " subtasks, in order")
                .set("items", subtask));
        tools.put(MAKE_PLAN, new Tool("Record the plan: the subtasks that together achieve the goal.",
                properties, List.of("subtasks")));
        return new ToolSet(tools);
    }

    /** The tools of a subtask; {@code ask_human} only when a human can answer ({@code askHuman}). */
    static ToolSet working(boolean askHuman) {
        Map<String, Tool> tools = new LinkedHashMap<>();
        tools.put(READ_FILE, new Tool("Read a text file of the workspace.",
                withThoughts(Json.object().set("path", string("file name in the workspace"))), List.of("path")));
        ObjectNode write = Json.object();
        write.set("path", string("file name in the workspace, e.g. report.md"));
        write.set("content", string("the whole new content of the file"));
        tools.put(WRITE_FILE, new Tool("Create or replace a text file in the workspace.", withThoughts(write),
                List.of("path", "content")));
        tools.put(LIST_FILES, new Tool("List the files of the workspace.", withThoughts(Json.object()), List.of()));
        if (askHuman) {
            tools.put(ASK_HUMAN, new Tool("Ask the human a question and wait for the answer.",
                    withThoughts(Json.object().set("question", string("the question"))), List.of("question")));
        }
        ObjectNode submit = Json.object();
        submit.set("result", string("what the subtask achieved"));
        submit.set("success", Json.object().put("type", "boolean")
                .put("description", "false when the subtask could not be achieved"));
        tools.put(SUBMIT_SUBTASK, new Tool("Finish the current subtask and report its result.",
                withThoughts(submit), List.of("result")));
        return new ToolSet(tools);
    }

    Set<String> names() {
        return tools.keySet();
    }

    /** The reason a call lacks a required argument, or empty when it has them all. */
    Optional<String> missingArgument(String name, ObjectNode args) {
        Tool tool = tools.get(name);
        for (String field : tool.required()) {
            JsonNode value = args.get(field);
            JsonNode schema = tool.properties().path(field);
            boolean ok = value != null && switch (schema.path("type").asText()) {
                case "array" -> value.isArray() && !value.isEmpty();
                case "string" -> value.isTextual();
                default -> !value.isNull();
            };
            if (!ok) {
                return Optional.of(name + " needs the argument '" + field + "' (" + schema.path("type").asText() + ")");
            }
        }
        if (MAKE_PLAN.equals(name)) {
            for (JsonNode s : args.path("subtasks")) {
                if (!s.path("goal").isTextual()) {
                    return Optional.of("every subtask of make_plan needs a 'goal' string");
                }
            }
        }
        return Optional.empty();
    }

    List<ChatCompletionTool> definitions() {
        return tools.entrySet().stream().map(e -> {
            Tool tool = e.getValue();
            ArrayNode required = Json.array();
            tool.required().forEach(required::add);
            FunctionParameters parameters = FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.fromJsonNode(tool.properties()))
                    .putAdditionalProperty("required", JsonValue.fromJsonNode(required))
                    .build();
            return ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
                    .function(FunctionDefinition.builder().name(e.getKey()).description(tool.description())
                            .parameters(parameters).build())
                    .build());
        }).toList();
    }

    private static ObjectNode withThoughts(ObjectNode properties) {
        properties.set("thoughts", string("what you think about the situation"));
        properties.set("reasoning", string("why this call is the right next step"));
        properties.set("plan", Json.object().put("type", "array").put("description", "your next few steps")
                .set("items", Json.object().put("type", "string")));
        properties.set("criticism", string("what could be wrong with this approach"));
        return properties;
    }

    private static ObjectNode string(String description) {
        return Json.object().put("type", "string").put("description", description);
    }
}
