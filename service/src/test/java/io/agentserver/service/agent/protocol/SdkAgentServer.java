package io.agentserver.service.agent.protocol;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An Agent Protocol server we did not write: the official {@code agent-protocol} SDK from npm (pinned by
 * {@code src/test/resources/agent-protocol/package-lock.json}) with the step handler {@code server.js}, run by
 * the machine's Node on a free port. The package is installed once into {@code target/agent-protocol-server}
 * with {@code npm ci}; when it is there already nothing is fetched. Tests are skipped where Node is absent.
 */
public final class SdkAgentServer implements AutoCloseable {

    private static final String[] FILES = {"package.json", "package-lock.json", "server.js"};
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;
    private final Map<String, Integer> steps;

    private SdkAgentServer(Process process, int port, Map<String, Integer> steps) {
        this.process = process;
        this.port = port;
        this.steps = steps;
    }

    public static SdkAgentServer start() {
        Assumptions.assumeTrue(runs("node", "--version"),
                "skipped: the Agent Protocol tests run the official agent-protocol SDK with Node.js, and `node` is "
                        + "not on the PATH (install nodejs and npm; .ci/run does)");
        try {
            Path dir = prepare();
            Path log = dir.resolve("server.log");
            Process process = new ProcessBuilder("node", "server.js", dir.resolve("workspace").toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Map<String, Integer> steps = new ConcurrentHashMap<>();
            Thread.ofVirtual().start(() -> copyOutput(process, log, port, steps));
            try {
                return new SdkAgentServer(process, port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), steps);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
                throw new AssertionError("the Agent Protocol server did not start; see " + log, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many steps the server started for a task (the SDK's own step listing breaks its response schema). */
    int stepsStarted(String taskId) {
        return steps.getOrDefault(taskId, 0);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the server's files next to the test classes and installs the SDK when it is not there yet. */
    private static synchronized Path prepare() throws IOException, InterruptedException {
        Path resources = resourceDir();
        Path dir = resources.getParent().getParent().resolve("agent-protocol-server");
        Files.createDirectories(dir);
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(resources.resolve("package-lock.json"), dir.resolve("package-lock.json")) >= 0;
        for (String file : FILES) {
            Files.copy(resources.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.exists(dir.resolve("node_modules/agent-protocol/package.json"))) {
            Assumptions.assumeTrue(runs("npm", "--version"),
                    "skipped: `npm` is not on the PATH to install the agent-protocol SDK (install npm; .ci/run does)");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("npm-ci.log").toFile())
                    .start();
            if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new AssertionError("npm ci failed in " + dir + "; see " + dir.resolve("npm-ci.log"));
            }
        }
        return dir;
    }

    private static Path resourceDir() {
        try {
            return Path.of(SdkAgentServer.class.getResource("/agent-protocol/server.js").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> port,
                                   Map<String, Integer> steps) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); var writer = Files.newBufferedWriter(log)) {
            String line;
            while ((line = out.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                writer.flush();
                String[] words = line.trim().split(" ");
                if (words.length == 2 && words[0].equals("LISTENING")) {
                    port.complete(Integer.parseInt(words[1]));
                } else if (words.length == 3 && words[0].equals("STEP")) {
                    steps.merge(words[1], 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        } finally {
            port.completeExceptionally(new IllegalStateException("the server exited"));
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
