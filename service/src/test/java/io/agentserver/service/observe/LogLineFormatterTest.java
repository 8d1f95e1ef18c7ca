package io.agentserver.service.observe;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineFormatterTest {

    /** The format logging.properties configured for SimpleFormatter before this formatter replaced it. */
    private static final String SIMPLE_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz level=%4$s logger=%3$s msg=\"%5$s\"%6$s%n";

    @Test
    void writesTheSameLineAsTheSimpleFormatterFormatItReplaces() {
        String previous = System.getProperty("java.util.logging.SimpleFormatter.format");
        System.setProperty("java.util.logging.SimpleFormatter.format", SIMPLE_FORMAT);
        try {
            SimpleFormatter simple = new SimpleFormatter();
            LogRecord plain = record(Level.INFO, "ws open conn=c1 path=/ws user=u", null);
            LogRecord withParameter = record(Level.WARNING, "Redis at {0} is unreachable", null);
            withParameter.setParameters(new Object[] {"127.0.0.1:6379"});
            LogRecord withThrowable = record(Level.SEVERE, "failed", new IllegalStateException("boom"));
            for (LogRecord record : new LogRecord[] {plain, withParameter, withThrowable}) {
                assertThat(new LogLineFormatter().format(record)).isEqualTo(simple.format(record));
            }
        } finally {
            if (previous == null) {
                System.clearProperty("java.util.logging.SimpleFormatter.format");
            } else {
                System.setProperty("java.util.logging.SimpleFormatter.format", previous);
            }
        }
    }

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("io.agentserver.service.autogpt.AutoGptSocket");
        record.setInstant(Instant.parse("2026-11-24T16:05:21.123456Z"));
        record.setThrown(thrown);
        return record;
    }
}
