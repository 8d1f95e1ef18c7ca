package io.agentserver.bench.measure;

import java.util.Locale;

/** One row of a result table: its label and how its value is printed. */
public record Metric(String label, String format) {

    public String print(Double value) {
        if (value == null) {
            return "–";
        }
        if (value.isNaN()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, format, value);
    }
}
