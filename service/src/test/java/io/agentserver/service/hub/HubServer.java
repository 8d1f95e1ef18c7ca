package io.agentserver.service.hub;

import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.web.OriginPolicy;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real web server with one socket endpoint ({@code /t}) whose protocol handler hands each connection to the test:
 * the test drives the {@link ConnectionSession} itself and sees what the handler was told.
 */
final class HubServer implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** What one connection's handler saw. */
    static final class Handled implements ProtocolHandler {
        final CompletableFuture<ConnectionSession> opened = new CompletableFuture<>();
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Ended> ended = new CompletableFuture<>();
        final List<Long> acks = new CopyOnWriteArrayList<>();
        volatile Consumer<String> onMessage = message -> { };

        @Override
        public void opened(ConnectionSession session) {
            session.onAck(acks::add);
            opened.complete(session);
        }

        @Override
        public void message(String text) {
            messages.add(text);
            onMessage.accept(text);
        }

        @Override
        public void failed() {
        }

        @Override
        public void ended(boolean clean) {
            Thread thread = Thread.currentThread();
            ended.complete(new Ended(clean, thread.getName(), thread.isInterrupted()));
        }

        ConnectionSession session() {
            return opened.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        Ended awaitEnd() {
            return ended.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    /** How a connection ended, and on which thread its end ran. */
    record Ended(boolean clean, String thread, boolean interrupted) {
    }

    final ConnectionRegistry registry = new ConnectionRegistry();
    final ServiceMetrics metrics = new ServiceMetrics(registry, () -> 0);
    final LivenessMonitor monitor = new LivenessMonitor(Duration.ofMillis(50));
    final BlockingQueue<Handled> connections = new LinkedBlockingQueue<>();
    private final WebServer server;

    HubServer(SocketSettings settings) {
        Hub hub = new Hub(HubSettings.defaults(), registry, monitor, metrics, OriginPolicy.from(Config.empty()));
        server = WebServer.builder()
                .port(0)
                .host("127.0.0.1")
                .addRouting(WsRouting.builder().endpoint("/t", SocketEndpoint.of(settings, hub, request -> {
                    Handled handled = new Handled();
                    connections.add(handled);
                    return handled;
                })))
                .build()
                .start();
    }

    /** Settings for tests: the protocol's limits with the given writer cap and liveness timings. */
    static SocketSettings settings(long writerMaxBytes, Duration pingInterval, boolean acknowledge) {
        return new SocketSettings(Protocol.AUTOGPT, 1024 * 1024, writerMaxBytes, Duration.ofMillis(500),
                pingInterval, 2, acknowledge);
    }

    int port() {
        return server.port();
    }

    /** The next connection the server accepted. */
    Handled next() throws InterruptedException {
        Handled handled = connections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(handled).as("a connection within " + WAIT).isNotNull();
        return handled;
    }

    @Override
    public void close() {
        server.stop();
        monitor.close();
    }
}
