package io.agentserver.bench.workload;

import io.agentserver.bench.client.FrameListener;
import io.agentserver.bench.client.Frames;
import io.agentserver.bench.client.WsConnection;
import io.agentserver.bench.sut.Readiness;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;

/** Waits for the readiness reply, then hands every later frame to the delegate. */
final class ReadyListener implements FrameListener {
    private final byte[] reply;
    private final FrameListener delegate;
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    ReadyListener(Readiness readiness, FrameListener delegate) {
        this.reply = readiness.reply();
        this.delegate = delegate;
    }

    @Override
    public void onText(WsConnection connection, ByteBuf utf8) {
        if (!ready.isDone()) {
            if (Frames.contains(utf8, reply)) {
                ready.complete(null);
            }
            return;
        }
        delegate.onText(connection, utf8);
    }

    @Override
    public void onClosed(WsConnection connection, int code, String reason) {
        ready.completeExceptionally(new IllegalStateException("closed " + code + " " + reason + " before it was ready"));
        delegate.onClosed(connection, code, reason);
    }
}
