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
        assertThat(all(stream, 1024)).extracting(SseReader.Event::data)
                .containsExactly("{\"a\":1}", "line one\nline two", "é");
    }

    @Test
    void theLastEventIdCarriesOverToLaterEventsUntilAnEmptyIdClearsIt() throws IOException {
        String stream = "id: 3.0\ndata: a\n\ndata: b\n\nid: 4.1\ndata: c\n\nid\ndata: d\n\n";
        assertThat(all(stream, 1024)).extracting(e -> e.lastEventId().orElse("-")).containsExactly("3.0", "3.0", "4.1", "-");
    }

    @Test
    void anEventLargerThanTheCapIsRefusedBeforeItIsReadWhole() {
        String big = "data: " + "x".repeat(100) + "\ndata: " + "y".repeat(100) + "\n\n";
        assertThatThrownBy(() -> all(big, 150)).isInstanceOf(SseReader.TooLarge.class)
                .hasMessage("a stream event larger than 150 bytes");
        assertThatThrownBy(() -> all("data: " + "z".repeat(10_000), 150)).isInstanceOf(SseReader.TooLarge.class);
    }

    private static List<SseReader.Event> all(String stream, long max) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), max);
        List<SseReader.Event> events = new ArrayList<>();
        for (Optional<SseReader.Event> event = reader.next(); event.isPresent(); event = reader.next()) {
            events.add(event.get());
        }
        return events;
    }
}
