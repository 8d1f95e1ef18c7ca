package io.agentserver.service.testing;

import io.agentserver.service.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The service as a child JVM, as a pod runs it (for tests that kill, stop or SIGTERM a replica): this test run's
 * classpath, on 127.0.0.1, the tests' JWT secret, its own recordings folder, its output in a temp file. The caller's
 * environment entries come last and win.
 */
public final class ServiceProcess {

    private ServiceProcess() {
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the service on {@code port}; its output goes to {@code log}. */
    public static Process start(int port, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        Map<String, String> all = new HashMap<>(Map.of(
                "SERVER_PORT", String.valueOf(port),
                "SERVER_HOST", "127.0.0.1",
                "AUTH_JWT_SECRET", TestTokens.SECRET,
                "XAGENT_RECORDINGS_DASH_DIR", Files.createTempDirectory("recordings").toString()));
        all.putAll(env);
        builder.environment().putAll(all);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** {@link #start(int, Path, Map)} with its output in a new temp file named after {@code name}. */
    public static Process start(String name, int port, Map<String, String> env) throws IOException {
        return start(port, Files.createTempFile(name, ".log"), env);
    }
}
