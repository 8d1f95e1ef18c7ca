package io.agentserver.bench.sut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Our server as users run it: {@code java -jar agent-server.jar} with its configuration in environment
 * variables, on a free loopback port, an H2 file database of its own, and the given Redis.
 */
public final class AgentServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private AgentServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * {@code heap} (e.g. {@code 512m}) fixes the heap ({@code -Xms = -Xmx}) and touches it at start, so that RSS
     * growth is native memory per connection and not the collector's heap-growth policy; {@code default} leaves the
     * JVM's own sizing. {@code javaOpts} come after it and win.
     */
    public static AgentServerProcess start(Path jar, String heap, String javaOpts, String redisUri, String jwtSecret,
                                           Path workDir) {
        return start(jar, heap, javaOpts, redisUri, jwtSecret, workDir, Map.of());
    }

    /** As above, with more environment variables (e.g. {@code REDIS_MODE=cluster}, {@code AUTOGPT_BUS=sharded}). */
    public static AgentServerProcess start(Path jar, String heap, String javaOpts, String redisUri, String jwtSecret,
                                           Path workDir, Map<String, String> extraEnv) {
        int port = Processes.freePort();
        Path dir = Processes.directory(workDir, "server-" + port);
        Path log = dir.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        // Issue 8's workloads put 1,000 sockets on one user and 100 runs on the guest: lift the per-user cap.
        command.add("-Dhub.max-connections-per-user=1000000");
        if (!heap.equals("default")) {
            command.addAll(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
        }
        Arrays.stream(javaOpts.trim().split("\\s+")).filter(opt -> !opt.isEmpty()).forEach(command::add);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("REDIS_URI", redisUri);
        env.put("AUTH_JWT_SECRET", jwtSecret);
        env.put("DB_CONNECTION_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
        env.put("XAGENT_RECORDINGS_DASH_DIR", dir.resolve("recordings").toAbsolutePath().toString());
        env.putAll(extraEnv);
        Process process = null;
        try {
            process = builder.start();
            Processes.awaitHttpOk(process, URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofSeconds(90), log);
            return new AgentServerProcess(process, port);
        } catch (RuntimeException e) {
            Processes.stop(process);
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
