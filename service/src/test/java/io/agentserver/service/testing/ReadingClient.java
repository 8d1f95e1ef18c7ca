package io.agentserver.service.testing;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket client in a process of its own, for tests that must freeze it ({@code kill -STOP}) and then kill it
 * the way a laptop lid or a lost Wi-Fi does: the server learns nothing from the peer, only from its own pings. It
 * connects to {@code args[0]}, sends {@code args[1]} as its first message (unless empty), prints every text message
 * it reads as one line on stdout (flushed), and answers pings only while it reads (the JDK client's behaviour).
 */
public final class ReadingClient {

    private ReadingClient() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(args[0]), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            out.println(partial.toString().replace('\n', ' '));
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        out.println("closed " + statusCode);
                        closed.complete(null);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        out.println("error " + error);
                        closed.complete(null);
                    }
                }).join();
        if (args.length > 1 && !args[1].isEmpty()) {
            socket.sendText(args[1], true).join();
        }
        closed.join();
    }
}
