package io.agentserver.bench.micro;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.Frames;
import io.agentserver.bench.client.WsClient;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.sut.Tokens;
import io.agentserver.service.AgentServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A full {@code /ws} handshake against an in-process server over loopback: TCP connect, HTTP upgrade with a
 * JWT in the query, then one heartbeat round trip (which proves the socket is authenticated and served),
 * then a close. Client and server share the JVM, so this is an upper bound on the server's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HandshakeBenchmark {
    private static final String HEARTBEAT = "{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}";
    private static final byte[] PONG = Frames.ascii("\"pong\"");

    private AgentServer server;
    private WsClient client;
    private URI uri;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "db.connection.url", "jdbc:h2:mem:handshake;DB_CLOSE_DELAY=-1",
                        "xagent.recordings-dir", Files.createTempDirectory("bench-recordings").toString(),
                        "auth.jwt.secret", Samples.SECRET,
                        "hub.max-connections-per-user", "100000")))
                .build();
        server = AgentServer.start(config);
        client = new WsClient(1);
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=" + new Tokens(Samples.SECRET).forUser(Samples.USER));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    @Benchmark
    public int upgradeAuthenticateAndClose() throws Exception {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        WsConnection connection = client.connect(uri, new FrameListener() {
            @Override
            public void onText(WsConnection c, ByteBuf utf8) {
                if (Frames.contains(utf8, PONG)) {
                    pong.complete(null);
                }
            }
        }).get(10, TimeUnit.SECONDS);
        connection.send(HEARTBEAT);
        pong.get(10, TimeUnit.SECONDS);
        connection.close();
        return connection.closeCode();
    }
}
