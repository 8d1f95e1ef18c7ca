package io.agentserver.service.agent.a2a;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Server-Sent Events as A2A streams them: each event is one or more {@code data:} lines and a blank line; the
 * data of an event is its {@code data:} values joined by new lines. {@code event:}, {@code retry:} and comment
 * ({@code :}) lines are ignored, as the SDK's client does; {@code id:} sets the last event id, which every later
 * event carries (as EventSource does), for a resume with {@code Last-Event-ID}. Lines end in LF, CRLF or CR. An
 * event whose data grows past {@code maxBytes} is refused before more of it is read.
 */
final class SseReader {

    /** An event's data grew past the cap. */
    static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super("a stream event larger than " + maxBytes + " bytes");
        }
    }

    /** One event: its data and the last event id the stream set, if any. */
    record Event(String data, Optional<String> lastEventId) {
    }

    private final InputStream in;
    private final long maxBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lastWasCr;
    private Optional<String> lastEventId = Optional.empty();

    SseReader(InputStream in, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next event; empty at the end of the stream (an event cut off by the end is dropped). */
    Optional<Event> next() throws IOException {
        StringBuilder data = null;
        long size = 0;
        while (true) {
            Optional<String> read = readLine(maxBytes + 6);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            String text = read.get();
            if (text.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(data.toString(), lastEventId));
                }
                continue;
            }
            if (text.startsWith(":")) {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                size += value.length() + (data == null ? 0 : 1);
                if (size > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field.equals("id") && !value.contains("\0")) {
                lastEventId = value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
    }

    /** One line without its end; empty at the end of the stream. */
    private Optional<String> readLine(long maxLineBytes) throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return Optional.empty();
            }
            if (lastWasCr && b == '\n') {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                return Optional.of(line.toString(StandardCharsets.UTF_8));
            }
            if (line.size() >= maxLineBytes) {
                throw new TooLarge(maxBytes);
            }
            line.write(b);
        }
    }
}
