package io.agentserver.bench.workload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own {@code agentserver_step_latency_seconds} histogram (a step emitted → its frame written to a
 * socket), read from {@code /metrics} before and after a run; quantiles interpolate within a bucket.
 */
final class StepLatencyHistogram {
    private static final Pattern BUCKET =
            Pattern.compile("^agentserver_step_latency_seconds_bucket\\{.*le=\"([^\"]+)\".*} ([0-9.eE+]+)$", Pattern.MULTILINE);

    private final TreeMap<Double, Double> cumulative;

    private StepLatencyHistogram(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    static StepLatencyHistogram scrape(HttpClient http, int port) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Matcher matcher = BUCKET.matcher(text);
        while (matcher.find()) {
            double le = matcher.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.group(1));
            buckets.merge(le, Double.parseDouble(matcher.group(2)), Double::sum);
        }
        return new StepLatencyHistogram(buckets);
    }

    /** What was observed after {@code earlier}. */
    StepLatencyHistogram since(StepLatencyHistogram earlier) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        cumulative.forEach((le, count) -> delta.put(le, count - earlier.cumulative.getOrDefault(le, 0.0)));
        return new StepLatencyHistogram(delta);
    }

    double count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** The {@code quantile} (0–1) in milliseconds; NaN when nothing was observed. */
    double millis(double quantile) {
        double total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lower * 1000;
                }
                double inBucket = bucket.getValue() - below;
                double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return (lower + share * (bucket.getKey() - lower)) * 1000;
            }
            lower = bucket.getKey();
            below = bucket.getValue();
        }
        return lower * 1000;
    }
}
