package io.agentserver.service.agent.upstream;

import io.agentserver.service.agent.AgentTelemetry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streamed body that refuses to go past its cap: reading byte {@code maxBytes + 1} closes the stream and throws
 * an {@link UpstreamFailure} of kind {@link AgentTelemetry#TOO_LARGE}; a broken connection throws one of kind
 * {@link AgentTelemetry#UNREACHABLE}. Both are counted once.
 */
final class CappedInputStream extends FilterInputStream {

    private final long maxBytes;
    private final UpstreamClient client;
    private final UpstreamCall call;
    private long read;
    private volatile boolean closed;

    CappedInputStream(InputStream in, long maxBytes, UpstreamClient client, UpstreamCall call) {
        super(in);
        this.maxBytes = maxBytes;
        this.client = client;
        this.call = call;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            // one byte past the cap, to tell "exactly the cap" from "more"; a cap near Long.MAX_VALUE must not wrap
            long room = maxBytes - read;
            n = super.read(b, off, room >= len ? len : (int) (room + 1));
        } catch (IOException e) {
            if (closed) {
                throw e;
            }
            throw client.failure(AgentTelemetry.UNREACHABLE, call, "failed: the connection to the agent's server broke ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (n > 0) {
            read += n;
            if (read > maxBytes) {
                close();
                throw client.failure(AgentTelemetry.TOO_LARGE, call, "answered more than " + maxBytes
                        + " bytes; the answer was refused");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int got = read(sink, 0, sink.length);
        return Math.max(got, 0);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }
}
