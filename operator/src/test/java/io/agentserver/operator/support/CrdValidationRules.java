package io.agentserver.operator.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code x-kubernetes-validations} rule of a CRD, compiled and evaluated with CEL (dev.cel) the way the
 * API server does on a create or an update: each rule runs on every node its schema sits on, with
 * {@code self} the node; a transition rule (one that names {@code oldSelf}) runs only on updates where the
 * node existed before, unless it is {@code optionalOldSelf}, which runs always with {@code oldSelf} an
 * optional. Not played: the cost budget, list-type correlation of array items (items never see an
 * {@code oldSelf}), ratcheting of unchanged values, and the Kubernetes CEL libraries beyond standard CEL,
 * strings and optionals (no rule of ours uses them).
 */
public final class CrdValidationRules {

    /** One rule where the schema puts it. */
    public record Rule(List<String> path, String expression, String message, boolean optionalOldSelf,
                       CelRuntime.Program program) {

        boolean transition() {
            return expression.contains("oldSelf");
        }

        @Override
        public String toString() {
            return String.join(".", path) + ": " + expression;
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<Rule> rules;

    private CrdValidationRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** Reads the CRD's schema (its first version) and compiles every rule; fails on a rule that does not compile. */
    @SuppressWarnings("unchecked")
    public static CrdValidationRules of(Path crd) {
        try {
            Map<String, Object> root = YAML.readValue(crd.toFile(), Map.class);
            Map<String, Object> spec = (Map<String, Object>) root.get("spec");
            Map<String, Object> version = ((List<Map<String, Object>>) spec.get("versions")).getFirst();
            Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
            List<Rule> rules = new ArrayList<>();
            collect(schema, new ArrayList<>(), rules);
            return new CrdValidationRules(List.copyOf(rules));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The messages of the rules a create of this object breaks. */
    public List<String> create(Map<String, Object> object) {
        return evaluate(object, null);
    }

    /** The messages of the rules an update from {@code old} to {@code object} breaks (a status write is one too). */
    public List<String> update(Map<String, Object> old, Map<String, Object> object) {
        return evaluate(object, old);
    }

    private List<String> evaluate(Map<String, Object> object, Map<String, Object> old) {
        List<String> failed = new ArrayList<>();
        Object self = cel(object);
        Object oldSelf = old == null ? null : cel(old);
        for (Rule rule : rules) {
            for (Object[] pair : nodes(self, oldSelf, rule.path(), 0)) {
                Object node = pair[0];
                Object previous = pair[1];
                Map<String, Object> vars = new LinkedHashMap<>();
                vars.put("self", node);
                if (rule.optionalOldSelf()) {
                    vars.put("oldSelf", Optional.ofNullable(previous));
                } else if (rule.transition()) {
                    if (previous == null) {
                        continue;
                    }
                    vars.put("oldSelf", previous);
                }
                try {
                    if (!Boolean.TRUE.equals(rule.program().eval(vars))) {
                        failed.add(rule.message());
                    }
                } catch (CelEvaluationException e) {
                    failed.add(rule.message() + " (evaluation error: " + e.getMessage() + ")");
                }
            }
        }
        return failed;
    }

    /** The (node, old node) pairs at a schema path; "[]" steps into array items, "{}" into map values. */
    @SuppressWarnings("unchecked")
    private static List<Object[]> nodes(Object node, Object old, List<String> path, int at) {
        if (node == null) {
            return List.of();
        }
        if (at == path.size()) {
            List<Object[]> here = new ArrayList<>();
            here.add(new Object[] {node, old});
            return here;
        }
        String step = path.get(at);
        List<Object[]> found = new ArrayList<>();
        if ("[]".equals(step) && node instanceof List<?> items) {
            items.forEach(item -> found.addAll(nodes(item, null, path, at + 1)));
        } else if ("{}".equals(step) && node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> found.addAll(nodes(value,
                    old instanceof Map<?, ?> oldMap ? oldMap.get(key) : null, path, at + 1)));
        } else if (node instanceof Map<?, ?> map) {
            found.addAll(nodes(map.get(step), old instanceof Map<?, ?> oldMap ? oldMap.get(step) : null, path, at + 1));
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> schema, List<String> path, List<Rule> rules) {
        Object validations = schema.get("x-kubernetes-validations");
        if (validations instanceof List<?> list) {
            for (Object entry : list) {
                Map<String, Object> rule = (Map<String, Object>) entry;
                boolean optional = Boolean.TRUE.equals(rule.get("optionalOldSelf"));
                String expression = (String) rule.get("rule");
                rules.add(new Rule(List.copyOf(path), expression, (String) rule.get("message"), optional,
                        compile(expression, optional)));
            }
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, child) -> {
                List<String> next = new ArrayList<>(path);
                next.add((String) name);
                collect((Map<String, Object>) child, next, rules);
            });
        }
        if (schema.get("items") instanceof Map<?, ?> items) {
            List<String> next = new ArrayList<>(path);
            next.add("[]");
            collect((Map<String, Object>) items, next, rules);
        }
        if (schema.get("additionalProperties") instanceof Map<?, ?> values) {
            List<String> next = new ArrayList<>(path);
            next.add("{}");
            collect((Map<String, Object>) values, next, rules);
        }
    }

    private static CelRuntime.Program compile(String expression, boolean optionalOldSelf) {
        Cel cel = CelFactory.standardCelBuilder()
                .setOptions(CelOptions.current().enableOptionalSyntax(true).build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelOptionalLibrary.INSTANCE, CelExtensions.strings())
                .addRuntimeLibraries(CelOptionalLibrary.INSTANCE, CelExtensions.strings())
                .addVar("self", SimpleType.DYN)
                .addVar("oldSelf", optionalOldSelf ? OptionalType.create(SimpleType.DYN) : SimpleType.DYN)
                .build();
        CelValidationResult result = cel.compile(expression);
        if (result.hasError()) {
            throw new IllegalArgumentException("rule does not compile: " + expression + "\n" + result.getErrorString());
        }
        try {
            return cel.createProgram(result.getAst());
        } catch (Exception e) {
            throw new IllegalArgumentException("rule does not plan: " + expression, e);
        }
    }

    /** YAML/JSON values as CEL sees them: integers are int (64-bit), floats double. */
    @SuppressWarnings("unchecked")
    private static Object cel(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> converted = new LinkedHashMap<>();
            map.forEach((key, item) -> converted.put((String) key, cel(item)));
            return converted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CrdValidationRules::cel).toList();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }
}
