package io.agentserver.service.agent.llm;

import io.agentserver.service.agent.LiveOutput;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The live output of one streamed answer, which the thread reading the stream writes and the run's thread closes
 * when it abandons the answer (a stop): after {@link #close()} returns, no call reaches the run's live output any
 * more, so the abandoned completion's end comes last.
 */
final class GatedLiveOutput implements LiveOutput {

    private final LiveOutput target;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    GatedLiveOutput(LiveOutput target) {
        this.target = target;
    }

    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void textDelta(String completionId, String delta) {
        pass(() -> target.textDelta(completionId, delta));
    }

    @Override
    public void toolCallStarted(String completionId, int index, String toolCallId, String toolName) {
        pass(() -> target.toolCallStarted(completionId, index, toolCallId, toolName));
    }

    @Override
    public void toolCallArguments(String completionId, String toolCallId, String fragment) {
        pass(() -> target.toolCallArguments(completionId, toolCallId, fragment));
    }

    @Override
    public void usage(String completionId, long promptTokens, long completionTokens) {
        pass(() -> target.usage(completionId, promptTokens, completionTokens));
    }

    private void pass(Runnable call) {
        lock.lock();
        try {
            if (!closed) {
                call.run();
            }
        } finally {
            lock.unlock();
        }
    }
}
