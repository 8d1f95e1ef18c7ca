package io.agentserver.bench.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/** Delivery latencies in microseconds, recorded from any thread, read as one snapshot. */
public final class Latencies {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
    }

    /** Discards what was recorded so far. */
    public void reset() {
        recorder.reset();
    }

    /** Everything recorded since the last reset or snapshot. */
    public Histogram snapshot() {
        return recorder.getIntervalHistogram();
    }

    /** The value at {@code percentile} in milliseconds. */
    public static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
