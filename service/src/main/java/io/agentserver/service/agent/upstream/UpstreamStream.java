package io.agentserver.service.agent.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;

/**
 * A successful answer whose body the caller reads as it arrives (server-sent events). The body is capped (see
 * {@link UpstreamClient#open}); {@link #close()} abandons the rest and may be called from any thread.
 */
public final class UpstreamStream implements AutoCloseable {

    private final int status;
    private final HttpHeaders headers;
    private final InputStream body;

    UpstreamStream(int status, HttpHeaders headers, InputStream body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The body; its reads throw {@link UpstreamFailure} (unchecked) past the cap or when the connection breaks. */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // abandoning the rest; nothing to tell
        }
    }
}
