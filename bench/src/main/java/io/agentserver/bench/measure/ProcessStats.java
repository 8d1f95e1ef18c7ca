package io.agentserver.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (utime + stime) and resident memory of a process and its descendants, from {@code /proc}.
 * Ticks are Linux's USER_HZ, which is 100 on every architecture the kernel exports to user space.
 */
public final class ProcessStats {
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One reading of a process tree. */
    public record Sample(long cpuNanos, long systemNanos, long rssKb, long wallNanos) {

        /** CPU used between {@code earlier} and this sample, in nanoseconds. */
        public long cpuSince(Sample earlier) {
            return cpuNanos - earlier.cpuNanos;
        }

        /** The part of {@link #cpuSince} spent in the kernel (stime). */
        public long systemSince(Sample earlier) {
            return systemNanos - earlier.systemNanos;
        }

        /** CPU used since {@code earlier} as a share of one core, in percent. */
        public double cpuPercentSince(Sample earlier) {
            long wall = wallNanos - earlier.wallNanos;
            return wall <= 0 ? 0 : 100.0 * cpuSince(earlier) / wall;
        }
    }

    private ProcessStats() {
    }

    public static Sample sample(long pid) {
        return sample(List.of(pid));
    }

    public static Sample sample(List<Long> pids) {
        long cpu = 0;
        long system = 0;
        long rss = 0;
        for (long pid : pids) {
            for (long each : tree(pid)) {
                long[] times = cpuNanos(each);
                cpu += times[0] + times[1];
                system += times[1];
                rss += rssKb(each);
            }
        }
        return new Sample(cpu, system, rss, System.nanoTime());
    }

    /**
     * The load generator alone: not its descendants, which are the systems under test (counting them charged
     * the server's and Redis' CPU to the bench before).
     */
    public static Sample self() {
        long pid = ProcessHandle.current().pid();
        long[] times = cpuNanos(pid);
        return new Sample(times[0] + times[1], times[1], rssKb(pid), System.nanoTime());
    }

    private static List<Long> tree(long pid) {
        return ProcessHandle.of(pid)
                .map(handle -> Stream.concat(Stream.of(handle), handle.descendants()).map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    /** {utime, stime} in nanoseconds. */
    private static long[] cpuNanos(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat.isEmpty()) {
            return new long[2];
        }
        // The command name may hold spaces: fields are counted after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return new long[] {utime * NANOS_PER_TICK, stime * NANOS_PER_TICK};
    }

    private static long rssKb(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }
}
