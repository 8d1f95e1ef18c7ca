package io.agentserver.service;

import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.ServiceProcess;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling update of two replicas as the operator's Deployment makes Kubernetes run it (maxSurge 1,
 * maxUnavailable 0, a preStop pause, then SIGTERM), under steady connections: the new replica starts and
 * joins the endpoints; the old one is marked terminating, leaves the endpoints a moment later (while it
 * pauses in preStop, new connections still reach it, as they do while kube-proxy and load balancers catch
 * up), and only after the pause gets SIGTERM and drains. Every replica is a real service process. Every
 * socket the servers closed must have been closed with 1001 (none 1006), and every connection attempt
 * must have succeeded.
 */
class RollingRestartIT {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** The operator's preStop sleep, shortened; endpoints forget the pod well within it. */
    private static final Duration PRE_STOP = Duration.ofMillis(1500);
    private static final Duration ENDPOINT_PROPAGATION = Duration.ofMillis(500);
    private static final int LONG_LIVED = 12;
    private static final int CHURNING = 6;

    /** The Service's endpoints as the clients' load balancer sees them. */
    private final List<Replica> endpoints = new CopyOnWriteArrayList<>();
    private final List<Integer> serverCloses = new CopyOnWriteArrayList<>();
    private final List<String> failedConnects = new CopyOnWriteArrayList<>();
    private final Map<Replica, AtomicInteger> connectsPerReplica = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Clients that hold or held a socket; the rollout starts once every one does. */
    private final AtomicInteger connectedClients = new AtomicInteger();

    @Test
    void aRollingUpdateOfTwoReplicasUnderSteadyConnectionsClosesEverySocketWith1001AndNoneWith1006() throws Exception {
        List<Replica> all = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        try {
            Replica a = Replica.start("a");
            Replica b = Replica.start("b");
            all.addAll(List.of(a, b));
            endpoints.addAll(List.of(a, b));
            for (int i = 0; i < LONG_LIVED + CHURNING; i++) {
                boolean churning = i >= LONG_LIVED;
                clients.add(Thread.ofVirtual().name("client-" + i).start(() -> client(churning)));
            }
            awaitConnects(a, b);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (connectedClients.get() < LONG_LIVED + CHURNING) {
                assertThat(System.nanoTime()).as("every client connected before the rollout").isLessThan(deadline);
                Thread.sleep(20);
            }

            for (Replica old : List.of(a, b)) {
                Replica next = Replica.start(old.name + "2");
                all.add(next);
                endpoints.add(next);
                terminate(old);
                awaitConnects(next);
            }
            int closesDuringRollout = serverCloses.size();
            running.set(false);
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(20));
            }

            System.out.printf("rolling update of 2 replicas: %d server closes %s, connects per replica %s%n",
                    closesDuringRollout, serverCloses, connectsPerReplica.entrySet().stream()
                            .collect(java.util.stream.Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().get())));
            assertThat(failedConnects).as("connection attempts that failed").isEmpty();
            assertThat(serverCloses).as("every socket a stopping replica closed").isNotEmpty()
                    .allSatisfy(code -> assertThat(code).as("close code (-1: dropped without a close frame, as 1006)")
                            .isEqualTo(CloseCodes.GOING_AWAY));
            assertThat(serverCloses.size()).as("each long-lived socket on an old replica was told to go")
                    .isGreaterThanOrEqualTo(LONG_LIVED);
        } finally {
            running.set(false);
            all.forEach(Replica::kill);
        }
    }

    /** Kubernetes' order: terminating, endpoints forget the pod a moment later, preStop ends, SIGTERM, drain. */
    private void terminate(Replica replica) throws InterruptedException {
        long terminating = System.nanoTime();
        Thread.sleep(ENDPOINT_PROPAGATION.toMillis());
        endpoints.remove(replica);
        long preStopLeft = PRE_STOP.toNanos() - (System.nanoTime() - terminating);
        if (preStopLeft > 0) {
            TimeUnit.NANOSECONDS.sleep(preStopLeft);
        }
        replica.process.destroy();
        assertThat(replica.process.waitFor(DRAIN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS))
                .as(replica.name + " exited within its grace period").isTrue();
    }

    /** One user: holds a socket with a heartbeat every 100 ms, reconnecting through the endpoints when told to go. */
    private void client(boolean churning) {
        String token = TestTokens.forUser(UUID.randomUUID().toString());
        boolean first = true;
        while (running.get()) {
            Replica target = pick();
            WsTestClient socket;
            try {
                socket = WsTestClient.connect(URI.create("ws://127.0.0.1:" + target.port + "/ws?token=" + token));
                connectsPerReplica.computeIfAbsent(target, r -> new AtomicInteger()).incrementAndGet();
                if (first) {
                    connectedClients.incrementAndGet();
                    first = false;
                }
            } catch (RuntimeException e) {
                failedConnects.add(target.name + ": " + e);
                continue;
            }
            long until = churning ? System.nanoTime() + ThreadLocalRandom.current().nextLong(100, 400) * 1_000_000 : Long.MAX_VALUE;
            while (running.get() && !socket.isClosed() && System.nanoTime() < until) {
                try {
                    socket.send("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}");
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException sendFailed) {
                    break;
                }
            }
            if (socket.isClosed()) {
                serverCloses.add(socket.closeCode());
            } else {
                socket.close();
            }
        }
    }

    private Replica pick() {
        List<Replica> now = List.copyOf(endpoints);
        return now.get(ThreadLocalRandom.current().nextInt(now.size()));
    }

    private void awaitConnects(Replica... replicas) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Replica replica : replicas) {
            while (connectsPerReplica.getOrDefault(replica, new AtomicInteger()).get() == 0) {
                assertThat(System.nanoTime()).as("clients reach " + replica.name).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** One service process, as a pod runs it. */
    private record Replica(String name, int port, Process process) {

        static Replica start(String name) throws Exception {
            int port = ServiceProcess.freePort();
            Replica replica = new Replica(name, port, ServiceProcess.start("rolling-" + name, port, Map.of(
                    "DB_CONNECTION_URL", "jdbc:h2:mem:rolling-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "SHUTDOWN_DRAIN_DASH_TIMEOUT", "PT" + DRAIN_TIMEOUT.toSeconds() + "S")));
            replica.awaitReady();
            return replica;
        }

        /** The readiness probe: the replica joins the endpoints once /health/ready answers 200. */
        private void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (HttpForms.get(URI.create("http://127.0.0.1:" + port + "/health/ready")).status() == 200) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError("replica " + name + " did not become ready; alive=" + process.isAlive());
        }

        void kill() {
            process.destroyForcibly();
        }
    }
}
