package io.agentserver.service.hub;

/**
 * A token bucket for one socket's client messages: {@code burst} at once, then {@code perSecond}. Used only
 * from the connection's own thread (Helidon calls a listener's {@code onMessage} one at a time).
 */
final class MessageRate {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    MessageRate(int perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one message; false when the socket is over its rate. */
    boolean admit(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * perNano);
        refilledAt = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
