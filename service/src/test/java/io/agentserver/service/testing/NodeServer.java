package io.agentserver.service.testing;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A test server written in JavaScript with an npm package we did not write, run by the machine's Node on a free
 * port. Its files live in one test resource folder with a {@code package.json} and a committed
 * {@code package-lock.json}; they are copied to {@code target/<folder>-server} and installed there once with
 * {@code npm ci} (again only when the lock file changed). The script prints {@code LISTENING <port>} when it
 * listens; every line it prints goes to {@code server.log} and to the given listener. Tests are skipped with a
 * message where Node (of at least the version asked) or npm is missing.
 */
public final class NodeServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;

    private NodeServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param resourceFolder test resource folder, e.g. {@code a2a}
     * @param script         the file in it that Node runs
     * @param installed      a file that exists under the install folder once {@code npm ci} ran
     * @param lines          sees every line the server prints (on a thread of its own)
     */
    public static NodeServer start(String resourceFolder, String script, String installed, int minNodeMajor,
                                   Consumer<String> lines) {
        int major = nodeMajor();
        Assumptions.assumeTrue(major > 0, "skipped: these tests run an official SDK with Node.js, and `node` is not on "
                + "the PATH (install nodejs and npm; .ci/run does)");
        Assumptions.assumeTrue(major >= minNodeMajor, "skipped: these tests need Node.js " + minNodeMajor
                + " or newer; `node` here is " + major);
        try {
            Path dir = prepare(resourceFolder, installed);
            Path log = dir.resolve("server.log");
            Process process = new ProcessBuilder("node", script).directory(dir.toFile()).redirectErrorStream(true).start();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> copyOutput(process, log, port, lines));
            try {
                return new NodeServer(process, port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                throw new AssertionError("the " + resourceFolder + " test server did not start; see " + log, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public int port() {
        return port;
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

    private static synchronized Path prepare(String folder, String installed) throws IOException, InterruptedException {
        Path resources = resourceDir(folder);
        Path dir = resources.getParent().getParent().resolve(folder + "-server");
        Files.createDirectories(dir);
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(resources.resolve("package-lock.json"), dir.resolve("package-lock.json")) >= 0;
        try (var files = Files.list(resources)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (lockChanged || !Files.exists(dir.resolve(installed))) {
            Assumptions.assumeTrue(runs("npm", "--version"),
                    "skipped: `npm` is not on the PATH to install the test server's packages (install npm; .ci/run does)");
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

    private static Path resourceDir(String folder) {
        try {
            return Path.of(NodeServer.class.getResource("/" + folder + "/package.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> port, Consumer<String> lines) {
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
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        } finally {
            port.completeExceptionally(new IllegalStateException("the server exited"));
        }
    }

    /** The major version of the machine's Node; 0 when there is none. */
    private static int nodeMajor() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.startsWith("v")) {
                return 0;
            }
            return Integer.parseInt(out.substring(1, out.indexOf('.')));
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
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

    /** A printed line split into its words. */
    public static List<String> words(String line) {
        return List.of(line.trim().split(" "));
    }
}
