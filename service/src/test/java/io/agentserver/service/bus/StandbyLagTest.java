package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The difference between a standby subscription and the active one, and what a promotion hands over. */
class StandbyLagTest {

    private final AtomicLong now = new AtomicLong();
    private final StandbyLag lag = new StandbyLag(now::get);

    @Test
    void aStandbyBehindTheActiveHandsOverNothingAndSkipsWhatTheActiveDeliveredAlready() {
        lag.activeDelivered("1");
        lag.activeDelivered("2");
        lag.standbyReceived("1");

        assertThat(lag.promote()).isEmpty();
        assertThat(lag.deliveredAlready("2")).isTrue();
        assertThat(lag.deliveredAlready("3")).isFalse();
    }

    @Test
    void aStandbyAheadOfTheActiveHandsOverWhatTheActiveNeverDeliveredInTheOrderItReceivedIt() {
        lag.activeDelivered("1");
        lag.standbyReceived("1");
        lag.standbyReceived("2");
        lag.standbyReceived("3");
        lag.activeDelivered("2");

        assertThat(lag.promote()).containsExactly("3");
        assertThat(lag.deliveredAlready("4")).isFalse();
    }

    @Test
    void equalMessagesAreMatchedOneForOne() {
        lag.activeDelivered("same");
        lag.standbyReceived("same");
        lag.standbyReceived("same");

        assertThat(lag.promote()).containsExactly("same");
    }

    @Test
    void theTwoSidesMayReceiveInDifferentOrders() {
        // a stale publisher still sends to the demoted node, which forwards to the new master later
        for (String m : List.of("468", "469", "456", "457")) {
            lag.activeDelivered(m);
        }
        for (String m : List.of("456", "457", "458", "468")) {
            lag.standbyReceived(m);
        }

        assertThat(lag.promote()).containsExactly("458");
        assertThat(lag.deliveredAlready("469")).isTrue();
    }

    @Test
    void aDifferenceOlderThanTheMaximumAgeIsForgotten() {
        lag.standbyReceived("published before the active subscription began");
        now.addAndGet(StandbyLag.MAX_AGE_NANOS + 1);
        lag.standbyReceived("x");

        assertThat(lag.promote()).containsExactly("x");
        assertThat(lag.forgotten()).isEqualTo(1);
    }

    @Test
    void aSideHoldsAtMostItsCapacityDroppingTheOldest() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < StandbyLag.CAPACITY + 10; i++) {
            sent.add("m" + i);
            lag.standbyReceived("m" + i);
        }

        List<String> handedOver = lag.promote();
        assertThat(handedOver).hasSize(StandbyLag.CAPACITY).first().isEqualTo("m10");
        assertThat(lag.forgotten()).isEqualTo(10);
    }

    @Test
    void matchedEntriesBehindAnOldUnmatchedOneDoNotAccumulate() {
        lag.standbyReceived("never delivered by the active");
        for (int i = 0; i < 100_000; i++) {
            lag.standbyReceived("m" + i);
            lag.activeDelivered("m" + i);
        }

        assertThat(lag.pendingSize()).isEqualTo(1);
        assertThat(lag.aheadSize()).isZero();
        assertThat(lag.promote()).containsExactly("never delivered by the active");
    }
}
