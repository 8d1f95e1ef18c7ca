package io.agentserver.bench.sut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx with the nchan module ({@code apt-get install nginx libnginx-mod-nchan}), memory-backed, one worker,
 * with its own prefix and configuration in a temporary directory and a free loopback port:
 * {@code /sub/{id}} is a WebSocket subscriber location, {@code /pub/{id}} the publisher location.
 * A subscriber's text {@code PING} is answered {@code PONG}, the counterpart of our heartbeat.
 */
public final class NginxNchan implements AutoCloseable {
    static final String MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so";
    /** nginx may not raise its own limit above the hard limit it inherits; ask for what the bench has. */
    private static final long OPEN_FILES = openFilesLimit();

    private final Process process;
    private final int port;

    private NginxNchan(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why nchan cannot run here, or null when it can. */
    public static String unavailable(String nginxCommand) {
        if (Processes.onPath(nginxCommand) == null) {
            return "nginx not found (apt-get install -y nginx libnginx-mod-nchan)";
        }
        if (!Files.exists(Path.of(MODULE))) {
            return MODULE + " not found (apt-get install -y libnginx-mod-nchan)";
        }
        return null;
    }

    public static NginxNchan start(String nginxCommand, Path workDir) {
        int port = Processes.freePort();
        Path dir = Processes.directory(workDir, "nginx-" + port);
        Path conf = dir.resolve("nginx.conf");
        Path log = dir.resolve("error.log");
        try {
            Files.writeString(conf, configuration(dir, port));
            Process process = new ProcessBuilder(List.of(Processes.onPath(nginxCommand).toString(),
                    "-p", dir.toString(), "-c", conf.toString(), "-e", log.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Processes.awaitPort(process, port, Duration.ofSeconds(20), log);
            return new NginxNchan(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String configuration(Path dir, int port) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return (root ? "user root;\n" : "") + """
                load_module %1$s;
                daemon off;
                worker_processes 1;
                worker_rlimit_nofile %4$d;
                pid %2$s/nginx.pid;
                events {
                    worker_connections 65536;
                }
                http {
                    access_log off;
                    # the bench publishes over a few keep-alive connections for the whole run
                    keepalive_requests 100000000;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    nchan_max_reserved_memory 256M;
                    server {
                        listen 127.0.0.1:%3$d;
                        location ~ ^/sub/([A-Za-z0-9_-]+)$ {
                            # nchan closes a subscriber that sends text unless it may publish; only PING is sent
                            nchan_pubsub websocket;
                            nchan_channel_id $1;
                            nchan_subscriber_first_message newest;
                            nchan_websocket_client_heartbeat PING PONG;
                        }
                        location ~ ^/pub/([A-Za-z0-9_-]+)$ {
                            nchan_publisher;
                            nchan_channel_id $1;
                            nchan_message_buffer_length 5;
                            nchan_message_timeout 30s;
                        }
                    }
                }
                """.formatted(MODULE, dir, port, OPEN_FILES);
    }

    private static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.trim().split("\\s+")[4]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to a modest default
        }
        return 16384;
    }

    public int port() {
        return port;
    }

    /** The master's pid; the worker is its child ({@link io.agentserver.bench.measure.ProcessStats} sums both). */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
