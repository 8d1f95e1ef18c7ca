package io.agentserver.bench.measure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Markdown table: one row per metric of each workload, one column per system under test. */
public final class Table {
    private final List<String> systems;
    private final Map<String, Map<String, Result>> byWorkload = new LinkedHashMap<>();

    public Table(List<String> systems) {
        this.systems = List.copyOf(systems);
    }

    public void add(String workload, String system, Result result) {
        byWorkload.computeIfAbsent(workload, w -> new LinkedHashMap<>()).put(system, result);
    }

    /** One Markdown table per workload (metric rows, a column per system), then the remarks. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, Result>> workload : byWorkload.entrySet()) {
            out.append("### ").append(workload.getKey()).append("\n\n| metric |");
            systems.forEach(system -> out.append(' ').append(system).append(" |"));
            out.append("\n|---|");
            systems.forEach(system -> out.append("---:|"));
            out.append('\n');
            Set<Metric> metrics = new LinkedHashSet<>();
            workload.getValue().values().forEach(result -> metrics.addAll(result.values().keySet()));
            for (Metric metric : metrics) {
                out.append("| ").append(metric.label()).append(" |");
                for (String system : systems) {
                    Result result = workload.getValue().get(system);
                    out.append(' ').append(metric.print(result == null ? null : result.values().get(metric))).append(" |");
                }
                out.append('\n');
            }
            workload.getValue().forEach((system, result) -> result.remarks().forEach(remark ->
                    out.append("\n- ").append(system).append(": ").append(remark)));
            out.append("\n\n");
        }
        return out.toString();
    }
}
