package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plan a model wrote as text instead of calling {@code make_plan}, as {@code make_plan} arguments: JSON (an
 * object with {@code subtasks}, or an array of subtask objects or strings, bare or in a fenced block, possibly
 * after prose), or a numbered list ({@code 1. …}, {@code 2) …}, {@code Step 3: …}). Empty when the text holds
 * neither.
 */
final class TextPlan {

    private static final Pattern FENCED = Pattern.compile("```(?:json|JSON)?\\s*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern NUMBERED = Pattern.compile(
            "^\\s*(?:[-*]\\s*)?(?:\\*\\*)?(?:step\\s+)?(\\d{1,2})[.):]\\s*(?:\\*\\*)?\\s*(.+?)\\s*$",
            Pattern.CASE_INSENSITIVE);

    private TextPlan() {
    }

    static Optional<ObjectNode> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Optional<ObjectNode> json = fromJson(text);
        return json.isPresent() ? json : fromNumberedList(text);
    }

    private static Optional<ObjectNode> fromJson(String text) {
        List<String> candidates = new ArrayList<>();
        Matcher fenced = FENCED.matcher(text);
        while (fenced.find()) {
            candidates.add(fenced.group(1));
        }
        candidates.add(text.strip());
        int brace = text.indexOf('{');
        int bracket = text.indexOf('[');
        if (brace >= 0) {
            candidates.add(text.substring(brace, text.lastIndexOf('}') + 1));
        }
        if (bracket >= 0 && text.lastIndexOf(']') > bracket) {
            candidates.add(text.substring(bracket, text.lastIndexOf(']') + 1));
        }
        for (String candidate : candidates) {
            Optional<ObjectNode> plan = Json.parse(candidate.strip()).flatMap(TextPlan::fromNode);
            if (plan.isPresent()) {
                return plan;
            }
        }
        return Optional.empty();
    }

    private static Optional<ObjectNode> fromNode(JsonNode node) {
        JsonNode list = node.isArray() ? node : node.path("subtasks").isArray() ? node.path("subtasks")
                : node.path("plan").isArray() ? node.path("plan") : node.path("steps");
        if (!list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        ArrayNode subtasks = Json.array();
        for (JsonNode item : list) {
            if (item.isTextual() && !item.asText().isBlank()) {
                subtasks.addObject().put("goal", item.asText().strip());
            } else if (item.isObject()) {
                String goal = firstText(item, "goal", "description", "task", "name", "title");
                if (goal.isBlank()) {
                    continue;
                }
                ObjectNode subtask = subtasks.addObject().put("goal", goal);
                String name = firstText(item, "name", "title");
                if (!name.isBlank() && !name.equals(goal)) {
                    subtask.put("name", name);
                }
                if (item.path("milestones").isArray()) {
                    subtask.set("milestones", item.path("milestones").deepCopy());
                }
            }
        }
        return subtasks.isEmpty() ? Optional.empty() : Optional.of(Json.object().set("subtasks", subtasks));
    }

    private static Optional<ObjectNode> fromNumberedList(String text) {
        ArrayNode subtasks = Json.array();
        int expected = 1;
        for (String line : text.lines().toList()) {
            Matcher item = NUMBERED.matcher(line);
            if (item.matches() && Integer.parseInt(item.group(1)) == expected) {
                subtasks.addObject().put("goal", item.group(2).replace("**", "").strip());
                expected++;
            }
        }
        return subtasks.size() >= 1 ? Optional.of(Json.object().set("subtasks", subtasks)) : Optional.empty();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            if (node.path(field).isTextual() && !node.path(field).asText().isBlank()) {
                return node.path(field).asText().strip();
            }
        }
        return "";
    }
}
