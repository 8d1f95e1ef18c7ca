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

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| workload | metric |");
        systems.forEach(system -> out.append(' ').append(system).append(" |"));
        out.append("\n|---|---|");
        systems.forEach(system -> out.append("---:|"));
        out.append('\n');
        for (Map.Entry<String, Map<String, Result>> workload : byWorkload.entrySet()) {
            Set<Metric> metrics = new LinkedHashSet<>();
            workload.getValue().values().forEach(result -> metrics.addAll(result.values().keySet()));
            for (Metric metric : metrics) {
                out.append("| ").append(workload.getKey()).append(" | ").append(metric.label()).append(" |");
                for (String system : systems) {
                    Result result = workload.getValue().get(system);
                    out.append(' ').append(metric.print(result == null ? null : result.values().get(metric))).append(" |");
                }
                out.append('\n');
            }
        }
        for (Map.Entry<String, Map<String, Result>> workload : byWorkload.entrySet()) {
            workload.getValue().forEach((system, result) -> result.remarks().forEach(remark ->
                    out.append("\n- ").append(workload.getKey()).append(", ").append(system).append(": ").append(remark)));
        }
        return out.append('\n').toString();
    }
}
