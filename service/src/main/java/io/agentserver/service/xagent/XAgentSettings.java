package io.agentserver.service.xagent;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the XAgent protocol.
 *
 * @param pongInterval     keep-alive {@code {"type":"pong"}} once a run or playback started (XAgent: 20 s)
 * @param checkRunning     refuse a second socket while the user has a running interaction (XAgent's option)
 * @param maxMessageBytes  largest client message; bigger ones close the socket with 1009
 * @param writerCapacity   frames queued per socket before it counts as a slow consumer
 * @param recordingsDir    where exported recordings are written and where {@code /ws/recorder} reads them
 * @param sharePaceMin     shortest pause between steps on {@code /ws/share}
 * @param sharePaceMax     longest pause between steps on {@code /ws/share}
 * @param recorderDelay    pause between re-played steps on {@code /ws/recorder}
 * @param storeRecheck     how often a live socket that heard nothing re-reads the store (repairs a lost publish)
 */
public record XAgentSettings(Duration pongInterval,
                             boolean checkRunning,
                             int maxMessageBytes,
                             int writerCapacity,
                             Path recordingsDir,
                             Duration sharePaceMin,
                             Duration sharePaceMax,
                             Duration recorderDelay,
                             Duration storeRecheck) {

    public static final Duration DEFAULT_PONG_INTERVAL = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final int DEFAULT_WRITER_CAPACITY = 4096;
    public static final String DEFAULT_RECORDINGS_DIR = "data/recordings";
    public static final Duration DEFAULT_SHARE_PACE_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHARE_PACE_MAX = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RECORDER_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_STORE_RECHECK = Duration.ofSeconds(1);

    public static XAgentSettings from(Config config) {
        Config x = config.get("xagent");
        return new XAgentSettings(
                x.get("pong-interval").as(Duration.class).orElse(DEFAULT_PONG_INTERVAL),
                x.get("check-running").asBoolean().orElse(false),
                x.get("max-message-bytes").asInt().orElse(DEFAULT_MAX_MESSAGE_BYTES),
                x.get("writer-capacity").asInt().orElse(DEFAULT_WRITER_CAPACITY),
                Path.of(x.get("recordings-dir").asString().orElse(DEFAULT_RECORDINGS_DIR)),
                x.get("share-pace-min").as(Duration.class).orElse(DEFAULT_SHARE_PACE_MIN),
                x.get("share-pace-max").as(Duration.class).orElse(DEFAULT_SHARE_PACE_MAX),
                x.get("recorder-delay").as(Duration.class).orElse(DEFAULT_RECORDER_DELAY),
                x.get("store-recheck").as(Duration.class).orElse(DEFAULT_STORE_RECHECK));
    }
}
