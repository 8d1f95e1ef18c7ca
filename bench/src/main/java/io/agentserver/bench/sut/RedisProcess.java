package io.agentserver.bench.sut;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Redis on a free loopback port, without persistence: {@code redis-server} from PATH when there is one
 * ({@code apt-get install redis-server}), else the binary bundled in the embedded-redis artifact.
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final long pid;
    private final Process process;
    private final RedisServer embedded;

    private RedisProcess(int port, long pid, Process process, RedisServer embedded) {
        this.port = port;
        this.pid = pid;
        this.process = process;
        this.embedded = embedded;
    }

    public static RedisProcess start(String command, Path workDir) {
        int port = Processes.freePort();
        Path binary = Processes.onPath(command);
        Path log = workDir.resolve("redis.log");
        if (binary != null) {
            try {
                Process process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                        "--dir", workDir.toString()))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                Processes.awaitPort(process, port, Duration.ofSeconds(20), log);
                return new RedisProcess(port, process.pid(), process, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            long pid = ProcessHandle.current().children()
                    .filter(child -> child.info().command().orElse("").contains("redis"))
                    .mapToLong(ProcessHandle::pid).max().orElse(-1);
            return new RedisProcess(port, pid, null, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's pid, -1 if it could not be found. */
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.stop(process);
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
