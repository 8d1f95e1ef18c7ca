package io.agentserver.service.agent;

import io.agentserver.service.agent.recording.Recordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingsTest {

    @TempDir
    Path dir;

    @Test
    void onlyPlainFileNamesInsideTheFolderAreRead() throws IOException {
        Files.writeString(dir.resolve("good.json"), "{\"format\":\"agent-server-recording/1\",\"steps\":[]}");
        Files.writeString(dir.getParent().resolve("secret.json"), "{\"format\":\"agent-server-recording/1\",\"steps\":[]}");
        Recordings recordings = new Recordings(dir);
        assertThat(recordings.load("good.json")).isPresent();
        assertThat(recordings.load("../secret.json")).isEmpty();
        assertThat(recordings.load("/etc/passwd")).isEmpty();
        assertThat(recordings.load("missing.json")).isEmpty();
    }

    @Test
    void aFileThatIsNotARecordingIsNotLoaded() throws IOException {
        Files.writeString(dir.resolve("other.json"), "{\"steps\":[]}");
        Files.writeString(dir.resolve("broken.json"), "{not json");
        Recordings recordings = new Recordings(dir);
        assertThat(recordings.load("other.json")).isEmpty();
        assertThat(recordings.load("broken.json")).isEmpty();
    }
}
