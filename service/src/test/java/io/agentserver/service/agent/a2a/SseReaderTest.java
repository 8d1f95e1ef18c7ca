package io.agentserver.service.agent.a2a;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseReaderTest {

    @Test
    void eventsAreTheirDataLinesJoinedWhateverTheLineEndsAndOtherFieldsAreIgnored() throws IOException {
        String stream = ": ping\n\nid: 1.0\nevent: message\ndata: {\"a\":1}\n\n"
                + "data: line one\r\ndata:line two\r\n\r\n"
                + "retry: 100\rdata: é\r\r"
                + "data: cut off by the end";
        assertThat(all(stream, 1024)).containsExactly("{\"a\":1}", "line one\nline two", "é");
    }

    @Test
    void anEventLargerThanTheCapIsRefusedBeforeItIsReadWhole() {
        String big = "data: " + "x".repeat(100) + "\ndata: " + "y".repeat(100) + "\n\n";
        assertThatThrownBy(() -> all(big, 150)).isInstanceOf(SseReader.TooLarge.class)
                .hasMessage("a stream event larger than 150 bytes");
        assertThatThrownBy(() -> all("data: " + "z".repeat(10_000), 150)).isInstanceOf(SseReader.TooLarge.class);
    }

    private static List<String> all(String stream, long max) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), max);
        List<String> events = new ArrayList<>();
        for (Optional<String> event = reader.next(); event.isPresent(); event = reader.next()) {
            events.add(event.get());
        }
        return events;
    }
}
