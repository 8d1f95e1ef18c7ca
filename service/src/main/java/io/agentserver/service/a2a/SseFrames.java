package io.agentserver.service.a2a;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The wire form of a Server-Sent Event: an {@code id:} line and {@code data:} lines, ended by a blank line. */
final class SseFrames {

    private SseFrames() {
    }

    /**
     * One event: an optional {@code id:} line (what the client sends back as {@code Last-Event-ID}), then the data,
     * one {@code data:} line per line of it.
     */
    static byte[] event(Optional<String> id, String data) {
        StringBuilder out = new StringBuilder(data.length() + 32);
        id.ifPresent(value -> {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("an SSE event id is one line");
            }
            out.append("id: ").append(value).append('\n');
        });
        int start = 0;
        for (int i = 0; i <= data.length(); i++) {
            if (i == data.length() || data.charAt(i) == '\n' || data.charAt(i) == '\r') {
                out.append("data: ").append(data, start, i).append('\n');
                if (i < data.length() - 1 && data.charAt(i) == '\r' && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
