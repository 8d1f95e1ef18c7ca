package io.agentserver.bench.sut;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node {@code ws}+Redis gateway ({@code bench/node/gateway.js}, shipped inside the bench jar with its
 * {@code package-lock.json}): installed with {@code npm ci} into the bench's work dir the first time a run needs
 * it, then started as {@code node --expose-gc gateway.js} on a free loopback port. The Maven build never runs npm.
 */
public final class NodeGateway implements AutoCloseable {
    /** The gateway subscribes {@code exec/{id}} for a socket on {@code /sub/{id}}. */
    static final String CHANNEL_PREFIX = "exec/";
    private static final List<String> FILES = List.of("gateway.js", "package.json", "package-lock.json");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;

    private NodeGateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why the gateway cannot run here, or null when it can. */
    public static String unavailable(String nodeCommand) {
        if (Processes.onPath(nodeCommand) == null) {
            return "node not found (apt-get install -y nodejs npm)";
        }
        if (Processes.onPath("npm") == null) {
            return "npm not found to install the gateway's packages (apt-get install -y npm)";
        }
        return null;
    }

    public static NodeGateway start(String nodeCommand, String redisUri, String jwtSecret, Path workDir) {
        Path dir = install(workDir);
        int port = Processes.freePort();
        Path log = Processes.directory(workDir, "node-" + port).resolve("gateway.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Processes.onPath(nodeCommand).toString(), "--expose-gc",
                "gateway.js")).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        env.put("REDIS_URL", redisUri);
        env.put("JWT_SECRET", jwtSecret);
        env.put("CHANNEL_PREFIX", CHANNEL_PREFIX);
        Process process = null;
        try {
            process = builder.start();
            Processes.awaitHttpOk(process, URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofSeconds(30), log);
            return new NodeGateway(process, port);
        } catch (RuntimeException e) {
            Processes.stop(process);
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the gateway out of the jar into {@code workDir/node-gateway} and runs {@code npm ci} there once. */
    private static synchronized Path install(Path workDir) {
        Path dir = Processes.directory(workDir, "node-gateway");
        if (Files.exists(dir.resolve("node_modules/ws/package.json"))) {
            return dir;
        }
        try {
            for (String file : FILES) {
                try (InputStream in = NodeGateway.class.getResourceAsStream("/node/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("/node/" + file + " missing from the bench jar; rebuild it");
                    }
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path log = dir.resolve("npm-ci.log");
            Process npm = new ProcessBuilder(Processes.onPath("npm").toString(), "ci", "--omit=dev", "--no-audit",
                    "--no-fund", "--prefer-offline").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + dir + "; see " + log);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
