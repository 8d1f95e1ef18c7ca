package io.agentserver.service.autogpt;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Our runs' node events per execution key: in order, once, gaps filled from the log. */
class OwnRunSequencerTest {

    /** A step log holding seqs 0..last, and the run's status. */
    private static final class Log implements OwnRunHistory {
        volatile long last;
        volatile String status;

        @Override
        public Optional<PublishedEvent> status(String userId, String interactionId) {
            return Optional.ofNullable(status).map(s -> new PublishedEvent("ch", statusMessage(s), -1));
        }

        @Override
        public OptionalLong lastSeq(String userId, String interactionId) {
            return OptionalLong.of(last);
        }

        @Override
        public List<PublishedEvent> after(String userId, String interactionId, long seq) {
            return LongStream.rangeClosed(seq + 1, last).mapToObj(s -> new PublishedEvent("ch", message(s), s)).toList();
        }
    }

    private final Log log = new Log();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final OwnRunSequencer sequencer =
            new OwnRunSequencer(log, "u", "i", -1, (channel, message) -> delivered.add(message));

    @Test
    void liveEventsInOrderPassStraightThrough() {
        offer(0);
        offer(1);
        assertThat(delivered).containsExactly(message(0), message(1));
    }

    @Test
    void anEventAfterAGapWaitsForTheGapToBeReadFromTheLog() throws InterruptedException {
        log.last = 3;
        offer(0);
        offer(3);
        waitUntilDelivered(4);
        assertThat(delivered).containsExactly(message(0), message(1), message(2), message(3));
    }

    @Test
    void aRetriedPublishOfADeliveredStepIsDropped() {
        offer(0);
        offer(1);
        offer(1);
        offer(0);
        assertThat(delivered).containsExactly(message(0), message(1));
    }

    @Test
    void afterAResubscribeWhatWasPublishedMeanwhileIsReadFromTheLog() throws InterruptedException {
        offer(0);
        log.last = 2;
        sequencer.resubscribed();
        waitUntilDelivered(3);
        offer(2); // the same step arriving late through a retried PUBLISH
        offer(3);
        assertThat(delivered).containsExactly(message(0), message(1), message(2), message(3));
    }

    @Test
    void aStatusChangeLostWithTheBrokerIsReadBackAfterTheNodeEventsAndNotRepeated() throws InterruptedException {
        sequencer.offerStatus("ch", statusMessage("RUNNING"), "RUNNING");
        offer(0);
        log.last = 1;
        log.status = "COMPLETED";
        sequencer.resubscribed();
        waitUntilDelivered(4);
        sequencer.offerStatus("ch", statusMessage("COMPLETED"), "COMPLETED"); // the retried PUBLISH
        assertThat(delivered).containsExactly(statusMessage("RUNNING"), message(0), message(1),
                statusMessage("COMPLETED"));
    }

    @Test
    void statusChangesRetriedAfterAFillReadTheFinalStatusDoNotFollowIt() throws InterruptedException {
        sequencer.offerStatus("ch", statusMessage("RUNNING"), "RUNNING");
        log.last = 0;
        log.status = "COMPLETED";
        sequencer.resubscribed();
        waitUntilDelivered(3);
        for (String retried : List.of("REVIEW", "RUNNING", "COMPLETED")) { // queued on A while Redis was away
            sequencer.offerStatus("ch", statusMessage(retried), retried);
        }
        assertThat(delivered).containsExactly(statusMessage("RUNNING"), message(0), statusMessage("COMPLETED"));
    }

    @Test
    void seqIsReadFromThePublishedEnvelope() {
        assertThat(OwnRunSequencer.seqOf(message(7))).hasValue(7);
        assertThat(OwnRunSequencer.seqOf("{\"payload\":{}}")).isEmpty();
        assertThat(OwnRunSequencer.seqOf("not json")).isEmpty();
    }

    private void offer(long seq) {
        sequencer.offer("ch", message(seq), seq);
    }

    private void waitUntilDelivered(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (delivered.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String statusMessage(String status) {
        return "{\"payload\":{\"status\":\"" + status + "\"}}";
    }

    private static String message(long seq) {
        return "{\"payload\":{\"seq\":" + seq + "}}";
    }
}
