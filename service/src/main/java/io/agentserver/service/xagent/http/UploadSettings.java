package io.agentserver.service.xagent.http;

import io.helidon.config.Config;

/**
 * Limits of {@code /workspace/upload}.
 *
 * @param maxFileBytes  largest single file
 * @param maxTotalBytes largest request body (all parts together); a larger declared Content-Length is refused
 *                      before anything is read
 * @param maxParts      most parts in one request, files and fields together
 */
public record UploadSettings(long maxFileBytes, long maxTotalBytes, int maxParts) {

    public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 50L * 1024 * 1024;
    public static final int DEFAULT_MAX_PARTS = 32;
    /** Longest value of a non-file field ({@code user_id}, {@code token}). */
    static final int MAX_FIELD_BYTES = 4096;
    /** Room for multipart boundaries and part headers on top of the content. */
    static final long ENVELOPE_SLACK_BYTES = 64 * 1024;

    public UploadSettings {
        if (maxFileBytes < 1 || maxTotalBytes < 1 || maxParts < 1) {
            throw new IllegalArgumentException("xagent.upload.* limits must be positive");
        }
    }

    /** Reads {@code xagent.upload.*}; every default is named above. */
    public static UploadSettings from(Config config) {
        Config u = config.get("xagent.upload");
        return new UploadSettings(
                u.get("max-file-bytes").asLong().orElse(DEFAULT_MAX_FILE_BYTES),
                u.get("max-total-bytes").asLong().orElse(DEFAULT_MAX_TOTAL_BYTES),
                u.get("max-parts").asInt().orElse(DEFAULT_MAX_PARTS));
    }

    public static UploadSettings defaults() {
        return new UploadSettings(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_PARTS);
    }
}
