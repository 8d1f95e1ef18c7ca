package io.agentserver.operator.model;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The managed PostgreSQL's init script against a real PostgreSQL data directory (the embedded
 * PostgreSQL binaries, run as an unprivileged user): the AgentServer was deleted, its volume kept,
 * and a new AgentServer of the same name generated a new password. After the script ran, the data
 * directory accepts the new password.
 */
class PostgresDataPreparationIT {

    private static final String ROLE = "agentserver";
    /** Base64 characters and a quote: the script must quote them for SQL. */
    private static final String NEW_PASSWORD = "n3w/pa+ss=='x";
    /** PostgreSQL refuses to run as root; when the tests do, the server and the script run as nobody. */
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private static Path root;
    private static Path data;
    private static Path bin;
    private static int port;

    @BeforeAll
    static void keptVolumeWithTheOldPassword() throws Exception {
        root = Files.createTempDirectory("prepare-data");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        data = root.resolve("data");
        EmbeddedPostgres.builder().setOverrideWorkingDirectory(root.resolve("binaries").toFile())
                .setDataDirectory(root.resolve("unused")).start().close();
        try (Stream<Path> files = Files.walk(root.resolve("binaries"))) {
            bin = files.filter(p -> p.endsWith(Path.of("bin", "postgres"))).findFirst().orElseThrow().getParent();
        }
        Files.createDirectories(data);
        Files.createDirectories(root.resolve("run"));
        chownToNobody(data, root.resolve("run"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres"),
                Map.of()).exitCode()).isZero();
        startServer();
        try (Connection admin = DriverManager.getConnection(url(), "postgres", "")) {
            admin.createStatement().execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'old-password'");
        }
        stopServer();
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
    }

    @AfterAll
    static void removeTheVolume() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aKeptDataDirectoryAcceptsTheNewPasswordAfterTheScriptRan() throws Exception {
        startServer();
        try {
            assertThat(canLogIn("old-password")).as("the kept data directory knows only the old password").isTrue();
            assertThat(canLogIn(NEW_PASSWORD)).isFalse();
        } finally {
            stopServer();
        }

        Result result = runScript(data);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("password of role agentserver set from the Secret").doesNotContain(NEW_PASSWORD);
        startServer();
        try {
            assertThat(canLogIn(NEW_PASSWORD)).isTrue();
            assertThat(canLogIn("old-password")).isFalse();
        } finally {
            stopServer();
        }
    }

    @Test
    void aDataDirectoryOfAnotherMajorVersionIsRefused() throws Exception {
        Path other = root.resolve("other-major");
        Files.createDirectories(other);
        Files.writeString(other.resolve("PG_VERSION"), "13\n");

        Result result = runScript(other);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("written by PostgreSQL 13 and this image is PostgreSQL 14");
    }

    @Test
    void aFreshVolumeIsLeftToInitdb() throws Exception {
        Path empty = root.resolve("empty");
        Files.createDirectories(empty);

        Result result = runScript(empty);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(empty).isEmptyDirectory();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result runScript(Path pgdata) throws Exception {
        return run(List.of("sh", "-c", PostgresDataPreparation.SCRIPT), Map.of("PGDATA", pgdata.toString(),
                "POSTGRES_USER", ROLE, "POSTGRES_PASSWORD", NEW_PASSWORD));
    }

    private static void startServer() throws Exception {
        Result started = run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l",
                root.resolve("run/server.log").toString(), "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k "
                        + root.resolve("run")), Map.of(), "start");
        assertThat(started.exitCode()).as(started.output()).isZero();
    }

    private static void stopServer() throws Exception {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-m", "fast"), Map.of(), "stop");
    }

    private static Result run(List<String> command, Map<String, String> env, String... extra) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        full.addAll(command);
        full.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).directory(root.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static void chownToNobody(Path... paths) throws Exception {
        if (ROOT) {
            for (Path path : paths) {
                new ProcessBuilder("chown", "-R", "nobody:nogroup", path.toString()).inheritIO().start().waitFor();
            }
        }
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static boolean canLogIn(String password) {
        try (Connection connection = DriverManager.getConnection(url(), ROLE, password)) {
            return connection.isValid(5);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("28P01");
            return false;
        }
    }
}
