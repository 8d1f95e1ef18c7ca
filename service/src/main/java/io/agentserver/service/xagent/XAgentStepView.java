package io.agentserver.service.xagent;

import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.OutboundWriter;
import io.agentserver.service.hub.TextFrame;
import io.agentserver.service.store.Step;
import io.agentserver.service.stream.StepSink;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * An XAgent socket's view of the step log: each step as XAgent's 7-key frame, tagged with its seq so that an
 * answered ping tells which steps the client really received; no more queued than the socket's writer has room
 * for, so a replay of any length streams page by page. Paced playback ({@code /ws/share}) takes one step per pause.
 * When the log is complete the socket closes with 1000; the client's answer to that close proves it read
 * everything.
 */
final class XAgentStepView implements StepSink {

    /** The pause before each step of a paced playback; {@link #UNPACED} for none. */
    @FunctionalInterface
    interface Pacing extends Supplier<Duration> {
    }

    static final Pacing UNPACED = () -> Duration.ZERO;

    private final ConnectionSession session;
    private final Pacing pacing;
    private final boolean live;
    private final PlaybackTimer timer;
    /** System.nanoTime() before which a paced view takes no step. */
    private long nextStepAt = System.nanoTime();
    private volatile boolean complete;

    /**
     * @param live a live view (a run or its resumption): its frames feed the step latency histogram, whereas
     *             playback sends steps that may be days old
     */
    XAgentStepView(ConnectionSession session, Pacing pacing, boolean live, PlaybackTimer timer) {
        this.session = session;
        this.pacing = pacing;
        this.live = live;
        this.timer = timer;
    }

    @Override
    public boolean offer(Step step) {
        if (paced() && System.nanoTime() - nextStepAt < 0) {
            return false;
        }
        TextFrame frame = TextFrame.of(XAgentFrames.step(step));
        long emittedAt = live ? step.createTime().toEpochMilli() : 0;
        OutboundWriter.Offer offered = session.offer(frame, step.seq(), emittedAt);
        if (offered == OutboundWriter.Offer.NO_ROOM) {
            return false;
        }
        if (paced()) {
            nextStepAt = System.nanoTime() + pacing.get().toNanos();
        }
        return true; // queued, or the socket is closing and nothing more will be read
    }

    @Override
    public void whenRoom(Runnable resume) {
        long wait = nextStepAt - System.nanoTime();
        if (paced() && wait > 0) {
            timer.after(Duration.ofNanos(wait), () -> session.whenDrained(resume));
        } else {
            session.whenDrained(resume);
        }
    }

    @Override
    public void ended() {
        complete = true;
        session.close(CloseCodes.NORMAL, "", true);
    }

    /** The whole log was sent. */
    boolean complete() {
        return complete;
    }

    private boolean paced() {
        return pacing != UNPACED;
    }
}
