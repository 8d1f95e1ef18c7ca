package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Upload;
import io.agentserver.service.store.WorkspaceFile;
import io.agentserver.service.store.WorkspaceStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class TaskEventsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final TaskRef TASK = new TaskRef("t1", "c1", "write a report", "demo");

    private final Map<String, byte[]> files = new TreeMap<>();
    private final TaskEvents events = new TaskEvents(new FakeWorkspace(files));

    @Test
    void aWorkingStepIsOneWorkingUpdateWithASummaryAndTheStepsXAgentFrame() {
        Step step = step(3, "inner", "{\"thoughts\":\"Reading the docs\",\"using_tools\":{\"tool_name\":\"search\"}}",
                "[]", false, null);
        List<TaskEvent> rendered = events.of(TASK, step);

        assertThat(rendered).hasSize(1);
        JsonNode update = rendered.get(0).response().path("statusUpdate");
        assertThat(update.path("taskId").asText()).isEqualTo("t1");
        assertThat(update.path("contextId").asText()).isEqualTo("c1");
        assertThat(update.path("status").path("state").asText()).isEqualTo("TASK_STATE_WORKING");
        assertThat(update.path("status").path("timestamp").asText()).isEqualTo(AT.toString());
        JsonNode message = update.path("status").path("message");
        assertThat(message.path("messageId").asText()).isEqualTo("t1-3.0");
        assertThat(message.path("parts").get(0).path("text").asText()).isEqualTo("Reading the docs (tool: search)");
        assertThat(message.path("parts").get(1).path("data").path("status").asText()).isEqualTo("inner");
        assertThat(message.path("parts").get(1).path("data").path("node_id").asText()).isEqualTo("n3");
        assertThat(Json.write(update.path("metadata"))).isEqualTo("{\"seq\":3,\"eventId\":\"3.0\",\"stepStatus\":\"inner\"}");
        assertThat(events.count(step)).isEqualTo(1);
    }

    @Test
    void theRunningStepShowsTheGoal() {
        assertThat(text(events.of(TASK, step(0, "running", "null", "[]", false, null)).get(0)))
                .isEqualTo("Goal: write a report");
    }

    @Test
    void aStepThatWaitsForReviewAddsAnInputRequiredUpdate() {
        Step step = step(1, "start", "{\"goal\":\"write a report\",\"subtasks\":[{\"task_id\":\"1.1\",\"name\":\"Draft\"}]}",
                "[]", true, null);
        List<TaskEvent> rendered = events.of(TASK, step);
        assertThat(rendered).extracting(e -> e.id().toString()).containsExactly("1.0", "1.1");
        assertThat(rendered).extracting(e -> e.state().orElseThrow()).containsExactly(A2aState.WORKING,
                A2aState.INPUT_REQUIRED);
        assertThat(text(rendered.get(0))).isEqualTo("Plan for write a report: 1.1 Draft");
        assertThat(text(rendered.get(1))).startsWith("Waiting for your review of step 1 (start)");
        assertThat(events.count(step)).isEqualTo(2);
    }

    @Test
    void aQuestionIsInputRequiredWithTheQuestion() {
        List<TaskEvent> rendered = events.of(TASK, step(4, "ask_for_human_help", "\"Which colour?\"", "[]", true,
                null));
        assertThat(rendered).hasSize(1);
        assertThat(rendered.get(0).state()).contains(A2aState.INPUT_REQUIRED);
        assertThat(text(rendered.get(0))).isEqualTo("Which colour?");
    }

    @Test
    void finishedGivesOneArtifactPerListedFileThenCompleted() {
        files.put("report.md", "# Report\n".getBytes(StandardCharsets.UTF_8));
        files.put("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 255});
        Step step = step(9, "finished", "[]",
                "[{\"name\":\"logo.png\",\"suffix\":\"png\"},{\"name\":\"report.md\",\"suffix\":\"md\"}]", false, null);
        List<TaskEvent> rendered = events.of(TASK, step);

        assertThat(rendered).extracting(e -> e.id().toString()).containsExactly("9.0", "9.1", "9.2");
        JsonNode logo = rendered.get(0).response().path("artifactUpdate");
        assertThat(logo.path("artifact").path("artifactId").asText()).isEqualTo("logo.png");
        assertThat(logo.path("artifact").path("parts").get(0).path("raw").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(files.get("logo.png")));
        assertThat(logo.path("artifact").path("parts").get(0).path("mediaType").asText()).isEqualTo("image/png");
        assertThat(logo.path("lastChunk").asBoolean()).isTrue();
        assertThat(logo.path("append").asBoolean()).isFalse();
        JsonNode report = rendered.get(1).response().path("artifactUpdate").path("artifact").path("parts").get(0);
        assertThat(report.path("text").asText()).isEqualTo("# Report\n");
        assertThat(report.path("filename").asText()).isEqualTo("report.md");
        assertThat(rendered.get(2).state()).contains(A2aState.COMPLETED);
        assertThat(text(rendered.get(2))).isEqualTo("The task is complete; 2 files.");
        assertThat(events.statusEvents(TASK, step)).extracting(e -> e.id().toString()).containsExactly("9.2");
        assertThat(events.count(step)).isEqualTo(3);
    }

    @Test
    void failedIsFailedWithTheError() {
        List<TaskEvent> rendered = events.of(TASK, step(5, "failed", "\"the model backend is down\"", "[]", false,
                null));
        assertThat(rendered.get(0).state()).contains(A2aState.FAILED);
        assertThat(text(rendered.get(0))).isEqualTo("the model backend is down");
    }

    @Test
    void aStoppedRunAddsCanceledAfterItsLastStepsOwnEventsAndAnEndedRunAddsNothing() {
        Step manual = step(2, "inner", "{\"thoughts\":\"t\"}", "[]", true, null);
        Optional<TaskEvent> canceled = events.trailer(TASK, Optional.of(manual), InteractionStatus.CLOSED,
                "closed by the client", AT);
        assertThat(canceled).isPresent();
        assertThat(canceled.get().id().toString()).isEqualTo("2.2");
        assertThat(canceled.get().state()).contains(A2aState.CANCELED);
        assertThat(text(canceled.get())).isEqualTo("closed by the client");

        Step finished = step(7, "finished", "[]", "[]", false, null);
        assertThat(events.trailer(TASK, Optional.of(finished), InteractionStatus.FINISHED, "finished", AT)).isEmpty();
        Step failed = step(7, "failed", "\"boom\"", "[]", false, null);
        assertThat(events.trailer(TASK, Optional.of(failed), InteractionStatus.FAILED, "boom", AT)).isEmpty();
        assertThat(events.trailer(TASK, Optional.empty(), InteractionStatus.CLOSED, "closed", AT))
                .as("no step: the task itself says so").isEmpty();
        assertThat(events.trailer(TASK, Optional.of(manual), InteractionStatus.RUNNING, "", AT)).isEmpty();
    }

    @Test
    void aFinishedStepsFilesAreReadOneAtATimeAsItsEventsAreTaken() {
        files.put("a.txt", "A".getBytes(StandardCharsets.UTF_8));
        files.put("b.txt", "B".getBytes(StandardCharsets.UTF_8));
        Step step = step(8, "finished", "[]", "[{\"name\":\"a.txt\",\"suffix\":\"txt\"},"
                + "{\"name\":\"b.txt\",\"suffix\":\"txt\"}]", false, null);
        CountingWorkspace counting = new CountingWorkspace(new FakeWorkspace(files));
        java.util.Iterator<TaskEvent> lazily = new TaskEvents(counting).lazily(TASK, step);
        assertThat(counting.reads).isZero();
        assertThat(lazily.next().id().toString()).isEqualTo("8.0");
        assertThat(counting.reads).isEqualTo(1);
        assertThat(lazily.next().id().toString()).isEqualTo("8.1");
        assertThat(lazily.next().state()).contains(A2aState.COMPLETED);
        assertThat(lazily.hasNext()).isFalse();
        assertThat(counting.reads).isEqualTo(2);
    }

    @Test
    void aReplayRendersTheSameEventsWithTheSameIds() {
        files.put("a.txt", "A".getBytes(StandardCharsets.UTF_8));
        Step step = step(6, "finished", "[]", "[{\"name\":\"a.txt\",\"suffix\":\"txt\"}]", false, null);
        assertThat(events.of(TASK, step)).usingRecursiveComparison().isEqualTo(events.of(TASK, step));
    }

    private static String text(TaskEvent event) {
        return event.response().path("statusUpdate").path("status").path("message").path("parts").get(0).path("text")
                .asText();
    }

    private static Step step(long seq, String status, String data, String files, boolean asks, String human) {
        return new Step("t1", seq, "n" + seq, status, "1.1", data, files, asks, human, AT);
    }

    /** Counts the file reads of another workspace. */
    private static final class CountingWorkspace implements WorkspaceStore {
        private final WorkspaceStore inner;
        private int reads;

        CountingWorkspace(WorkspaceStore inner) {
            this.inner = inner;
        }

        @Override
        public void put(String interactionId, String name, byte[] content) {
            inner.put(interactionId, name, content);
        }

        @Override
        public boolean putAsLeaseHolder(String interactionId, String name, byte[] content, String ownerId) {
            return inner.putAsLeaseHolder(interactionId, name, content, ownerId);
        }

        @Override
        public Optional<WorkspaceFile> get(String interactionId, String name) {
            reads++;
            return inner.get(interactionId, name);
        }

        @Override
        public List<String> list(String interactionId) {
            return inner.list(interactionId);
        }

        @Override
        public void saveUpload(Upload upload) {
            inner.saveUpload(upload);
        }

        @Override
        public Optional<Upload> findUpload(String uuid) {
            return inner.findUpload(uuid);
        }
    }

    /** A workspace held in a map. */
    private record FakeWorkspace(Map<String, byte[]> files) implements WorkspaceStore {
        @Override
        public void put(String interactionId, String name, byte[] content) {
            files.put(name, content);
        }

        @Override
        public boolean putAsLeaseHolder(String interactionId, String name, byte[] content, String ownerId) {
            files.put(name, content);
            return true;
        }

        @Override
        public Optional<WorkspaceFile> get(String interactionId, String name) {
            return Optional.ofNullable(files.get(name)).map(c -> new WorkspaceFile(interactionId, name, c, AT));
        }

        @Override
        public List<String> list(String interactionId) {
            return List.copyOf(files.keySet());
        }

        @Override
        public void saveUpload(Upload upload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Upload> findUpload(String uuid) {
            return Optional.empty();
        }
    }
}
