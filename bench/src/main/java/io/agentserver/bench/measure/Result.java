package io.agentserver.bench.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one run of one workload against one system measured, in row order. */
public final class Result {
    private final Map<Metric, Double> values = new LinkedHashMap<>();
    private final List<String> remarks = new ArrayList<>();

    public Result put(String label, String format, double value) {
        values.put(new Metric(label, format), value);
        return this;
    }

    public Result remark(String remark) {
        remarks.add(remark);
        return this;
    }

    public Map<Metric, Double> values() {
        return values;
    }

    public List<String> remarks() {
        return remarks;
    }

    /** Per metric, the median over several runs of the same workload and system (the upper one of an even count). */
    public static Result median(List<Result> runs) {
        if (runs.size() == 1) {
            return runs.getFirst();
        }
        Result median = new Result();
        // A failed run has no values: the median is over the runs that measured the metric.
        Set<Metric> metrics = new LinkedHashSet<>();
        runs.forEach(run -> metrics.addAll(run.values.keySet()));
        for (Metric metric : metrics) {
            double[] each = runs.stream().filter(run -> run.values.containsKey(metric))
                    .mapToDouble(run -> run.values.get(metric)).sorted().toArray();
            median.values.put(metric, each[each.length / 2]);
        }
        runs.stream().flatMap(run -> run.remarks.stream()).distinct().forEach(median.remarks::add);
        return median;
    }
}
