package io.agentserver.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} flags of the command line; each workload names its own defaults. */
public record Options(Map<String, String> flags) {

    public static Options parse(List<String> args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --flag, got " + arg);
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                flags.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                flags.put(name, args.get(++i));
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return new Options(Map.copyOf(flags));
    }

    public String string(String name, String fallback) {
        return flags.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return flags.containsKey(name) ? Integer.parseInt(flags.get(name)) : fallback;
    }

    public double decimal(String name, double fallback) {
        return flags.containsKey(name) ? Double.parseDouble(flags.get(name)) : fallback;
    }

    /** Seconds, possibly fractional ({@code --duration 2.5}). */
    public Duration seconds(String name, double fallback) {
        return Duration.ofMillis(Math.round(decimal(name, fallback) * 1000));
    }

    public List<String> list(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
