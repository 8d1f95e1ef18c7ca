package io.agentserver.service.a2a;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdTest {

    @Test
    void readsAndWritesSeqDotK() {
        assertThat(EventId.parse("12.3")).contains(new EventId(12, 3));
        assertThat(new EventId(12, 3)).hasToString("12.3");
        assertThat(EventId.parse(" 0.0 ")).contains(new EventId(0, 0));
    }

    @Test
    void refusesWhatIsNotOurs() {
        for (String text : List.of("", "1", "1.", ".1", "01.0", "1.01", "-1.0", "1.-1", "a.b", "1.2.3",
                "99999999999999999999.0", "1.9999999999", "1 .0")) {
            assertThat(EventId.parse(text)).as(text).isEmpty();
        }
        assertThat(EventId.parse(null)).isEmpty();
    }

    @Test
    void ordersBySeqThenK() {
        List<EventId> ids = new ArrayList<>(List.of(new EventId(10, 0), new EventId(2, 1), new EventId(2, 0),
                new EventId(9, 5)));
        ids.sort(null);
        assertThat(ids).extracting(EventId::toString).containsExactly("2.0", "2.1", "9.5", "10.0");
    }
}
