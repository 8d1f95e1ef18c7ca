package io.agentserver.bench.sut;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** nchan: subscribers on {@code /sub/{exec}}, events POSTed to {@code /pub/{exec}}; no authentication. */
public final class NchanSystem implements SystemUnderTest {
    private static final Readiness PING = Readiness.of("PING", "PONG");

    private final NginxNchan nginx;
    private final NchanPublisher publisher;

    private NchanSystem(NginxNchan nginx) {
        this.nginx = nginx;
        this.publisher = new NchanPublisher(nginx.port());
    }

    public static NchanSystem start(String nginxCommand, Path workDir) {
        return new NchanSystem(NginxNchan.start(nginxCommand, workDir));
    }

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public int replicas() {
        return 1;
    }

    @Override
    public URI subscriberUri(int replica, String user, String exec) {
        return URI.create("ws://127.0.0.1:" + nginx.port() + "/sub/" + exec);
    }

    @Override
    public Readiness subscribe(String exec) {
        return PING;
    }

    @Override
    public Readiness keepAlive() {
        return PING;
    }

    @Override
    public Publisher publisher() {
        return publisher;
    }

    @Override
    public List<Long> serverPids() {
        return List.of(nginx.pid());
    }

    @Override
    public OptionalLong brokerPid() {
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        publisher.close();
        nginx.close();
    }
}
