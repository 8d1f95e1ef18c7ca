package io.agentserver.service.agent.a2a;

import io.agentserver.service.testing.NodeServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A remote A2A agent we did not write: the official {@code @a2a-js/sdk} 1.3.0 server (pinned by
 * {@code src/test/resources/a2a/package-lock.json}) with the executor {@code server.mjs}, whose goal text picks a
 * behaviour. It reports each task the SDK asked it to cancel and each stream it cut on purpose.
 */
final class SdkA2aServer implements AutoCloseable {

    static final String TOKEN = "s3cret";
    private static final int MIN_NODE = 20;

    private final NodeServer node;
    private final Map<String, CompletableFuture<Void>> cancels;
    private final Set<String> dropped;

    private SdkA2aServer(NodeServer node, Map<String, CompletableFuture<Void>> cancels, Set<String> dropped) {
        this.node = node;
        this.cancels = cancels;
        this.dropped = dropped;
    }

    static SdkA2aServer start() {
        Map<String, CompletableFuture<Void>> cancels = new ConcurrentHashMap<>();
        Set<String> dropped = ConcurrentHashMap.newKeySet();
        NodeServer node = NodeServer.start("a2a", "server.mjs", "node_modules/@a2a-js/sdk/package.json", MIN_NODE,
                line -> {
                    List<String> words = NodeServer.words(line);
                    if (words.size() == 2 && words.get(0).equals("CANCEL")) {
                        cancels.computeIfAbsent(words.get(1), k -> new CompletableFuture<>()).complete(null);
                    } else if (words.size() == 2 && words.get(0).equals("DROPPED")) {
                        dropped.add(words.get(1));
                    }
                });
        return new SdkA2aServer(node, cancels, dropped);
    }

    /** Whether the server cut the stream of {@code taskId} on purpose (it prints that before it cuts). */
    boolean dropped(String taskId) {
        return dropped.contains(taskId);
    }

    String base() {
        return "http://127.0.0.1:" + node.port();
    }

    /** Waits until the SDK asked the executor to cancel {@code taskId}. */
    void awaitCancel(String taskId, Duration limit) {
        try {
            cancels.computeIfAbsent(taskId, k -> new CompletableFuture<>()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the remote task " + taskId + " was not cancelled within " + limit);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean cancelled(String taskId) {
        CompletableFuture<Void> cancel = cancels.get(taskId);
        return cancel != null && cancel.isDone();
    }

    @Override
    public void close() {
        node.close();
    }
}
