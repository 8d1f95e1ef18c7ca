package io.agentserver.service.xagent;

import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.hub.SocketSettings;
import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the XAgent protocol.
 *
 * @param pongInterval     keep-alive {@code {"type":"pong"}} once a run or playback started (XAgent: 20 s)
 * @param checkRunning     refuse a second socket while the user has a running interaction (XAgent's option)
 * @param maxMessageBytes  largest client message; bigger ones close the socket with 1009
 * @param maxGoalBytes     largest goal of a start frame (UTF-8 bytes); a larger one gets an in-band error
 * @param writerMaxBytes   bytes queued per socket: a log cursor pauses at half of it, anything else past it closes
 *                         the socket with 1013
 * @param pingInterval     a socket that sent nothing for this long is pinged
 * @param missedPongs      a ping unanswered for this many ping intervals drops the connection (its run gets the grace)
 * @param recordingsDir    where exported recordings are written and where {@code /ws/recorder} reads them
 * @param sharePaceMin     shortest pause between steps on {@code /ws/share}
 * @param sharePaceMax     longest pause between steps on {@code /ws/share}
 * @param recorderDelay    pause between re-played steps on {@code /ws/recorder}
 */
public record XAgentSettings(Duration pongInterval,
                             boolean checkRunning,
                             int maxMessageBytes,
                             int maxGoalBytes,
                             long writerMaxBytes,
                             Duration pingInterval,
                             int missedPongs,
                             Path recordingsDir,
                             Duration sharePaceMin,
                             Duration sharePaceMax,
                             Duration recorderDelay) {

    public static final Duration DEFAULT_PONG_INTERVAL = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_GOAL_BYTES = 64 * 1024;
    public static final long DEFAULT_WRITER_MAX_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MISSED_PONGS = 2;
    public static final String DEFAULT_RECORDINGS_DIR = "data/recordings";
    public static final Duration DEFAULT_SHARE_PACE_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHARE_PACE_MAX = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RECORDER_DELAY = Duration.ofMillis(200);

    public static XAgentSettings from(Config config) {
        Config x = config.get("xagent");
        return new XAgentSettings(
                x.get("pong-interval").as(Duration.class).orElse(DEFAULT_PONG_INTERVAL),
                x.get("check-running").asBoolean().orElse(false),
                x.get("max-message-bytes").asInt().orElse(DEFAULT_MAX_MESSAGE_BYTES),
                x.get("max-goal-bytes").asInt().orElse(DEFAULT_MAX_GOAL_BYTES),
                x.get("writer-max-bytes").asLong().orElse(DEFAULT_WRITER_MAX_BYTES),
                x.get("ping-interval").as(Duration.class).orElse(DEFAULT_PING_INTERVAL),
                x.get("missed-pongs").asInt().orElse(DEFAULT_MISSED_PONGS),
                Path.of(x.get("recordings-dir").asString().orElse(DEFAULT_RECORDINGS_DIR)),
                x.get("share-pace-min").as(Duration.class).orElse(DEFAULT_SHARE_PACE_MIN),
                x.get("share-pace-max").as(Duration.class).orElse(DEFAULT_SHARE_PACE_MAX),
                x.get("recorder-delay").as(Duration.class).orElse(DEFAULT_RECORDER_DELAY));
    }

    /**
     * The limits of XAgent's sockets; a close this side sent may take {@code hub.close-grace}. Steps are
     * acknowledged by pings: a reconnect resumes after the last step the client provably received.
     */
    public SocketSettings socket(HubSettings hub) {
        return new SocketSettings(Protocol.XAGENT, maxMessageBytes, writerMaxBytes, hub.closeGrace(), pingInterval,
                missedPongs, true);
    }
}
