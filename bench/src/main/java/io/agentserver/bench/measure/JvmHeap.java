package io.agentserver.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Live heap of another JVM after a full GC, through {@code jcmd} of the JDK the bench runs on. */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private JvmHeap() {
    }

    /** Heap in use after {@code GC.run}, in KB; empty when jcmd is missing or fails. */
    public static OptionalLong usedAfterGcKb(long pid) {
        if (jcmd(pid, "GC.run").isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher matcher = USED.matcher(jcmd(pid, "GC.heap_info"));
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    private static String jcmd(long pid, String command) {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        try {
            Process process = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command))
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
