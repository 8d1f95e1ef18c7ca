package io.agentserver.service.agent.a2a;

import io.agentserver.service.json.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the A2A 1.0 wire shapes the client reads: cards, stream responses, artifact names, replies. */
class RemoteShapesTest {

    private static final URI CARD = URI.create("http://h:9/a2a/demo/.well-known/agent-card.json");

    @Test
    void theFirstJsonRpcInterfaceOfVersionOneIsUsedAndARelativeUrlIsResolvedAgainstTheCard() {
        AgentCard card = AgentCard.from(Json.read("""
                {"name":"Planner","capabilities":{"streaming":true},"supportedInterfaces":[
                 {"url":"http://h:9/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                 {"url":"http://h:9/old","protocolBinding":"JSONRPC","protocolVersion":"0.3"},
                 {"url":"../../rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                 {"url":"http://h:9/later","protocolBinding":"JSONRPC","protocolVersion":"1.0"}]}"""), CARD, "x");
        assertThat(card.name()).isEqualTo("Planner");
        assertThat(card.streaming()).isTrue();
        assertThat(card.endpoint()).contains(URI.create("http://h:9/a2a/rpc"));
    }

    @Test
    void aCardWithoutSuchAnInterfaceSaysWhatItOffersAndANamelessCardIsNamedAfterTheAgent() {
        AgentCard card = AgentCard.from(Json.read("""
                {"supportedInterfaces":[{"url":"http://h/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                 {"url":"ftp://h/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"}]}"""), CARD, "planner");
        assertThat(card.name()).isEqualTo("planner");
        assertThat(card.streaming()).isFalse();
        assertThat(card.endpoint()).isEmpty();
        assertThat(card.offered()).containsExactly("HTTP+JSON 1.0", "JSONRPC 1.0");
    }

    @Test
    void eachStreamResponseIsOneOfTheFourEvents() {
        assertThat(RemoteEvent.fromStreamResponse(Json.read("""
                {"statusUpdate":{"taskId":"t","contextId":"c","status":{"state":"TASK_STATE_INPUT_REQUIRED",
                 "message":{"messageId":"m","parts":[{"text":"Which?"},{"data":{"k":1}}]}}}}""")))
                .hasValueSatisfying(e -> {
                    RemoteEvent.StatusUpdate update = (RemoteEvent.StatusUpdate) e;
                    assertThat(update.status().state()).isEqualTo(TaskState.INPUT_REQUIRED);
                    assertThat(update.status().describe()).isEqualTo("Which?");
                    assertThat(update.status().message().orElseThrow().textAndData()).isEqualTo("Which?\n{\"k\":1}");
                });
        assertThat(RemoteEvent.fromStreamResponse(Json.read("""
                {"artifactUpdate":{"taskId":"t","artifact":{"artifactId":"a","parts":[{"text":"x"}]},"append":true}}""")))
                .hasValueSatisfying(e -> assertThat(((RemoteEvent.ArtifactUpdate) e).append()).isTrue());
        assertThat(RemoteEvent.fromStreamResponse(Json.read("{\"message\":{\"messageId\":\"m\",\"parts\":[]}}")))
                .containsInstanceOf(RemoteEvent.MessageResult.class);
        assertThat(RemoteEvent.fromStreamResponse(Json.read("{\"task\":{\"id\":\"t\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}")))
                .hasValueSatisfying(e -> assertThat(((RemoteEvent.TaskSnapshot) e).status().state()).isEqualTo(TaskState.WORKING));
        assertThat(RemoteEvent.fromStreamResponse(Json.read("{\"kind\":\"status-update\"}"))).isEmpty();
        assertThat(TaskState.fromWire("working")).as("0.3's names are not 1.0's").isEqualTo(TaskState.UNKNOWN);
    }

    @Test
    void anArtifactBecomesAPlainFileNameFromItsFilenameNameOrId() {
        assertThat(ArtifactFiles.fileName(artifact("../../etc/passwd", "report", "a1"))).isEqualTo("passwd");
        assertThat(ArtifactFiles.fileName(artifact("", "dir\\\\notes.md", "a1"))).isEqualTo("notes.md");
        assertThat(ArtifactFiles.fileName(artifact("", "..", "a1"))).isEqualTo("a1");
        assertThat(ArtifactFiles.fileName(artifact("", "", "/"))).isEqualTo("artifact");
    }

    @Test
    void aHumanReplyIsItsAnswerElseItsJson() {
        assertThat(RemoteTaskRun.answer(Json.read("{\"answer\":\"teal\",\"x\":1}"))).isEqualTo("teal");
        assertThat(RemoteTaskRun.answer(Json.read("{\"colour\":\"teal\"}"))).isEqualTo("{\"colour\":\"teal\"}");
    }

    private static RemoteArtifact artifact(String filename, String name, String id) {
        return RemoteArtifact.from(Json.read("{\"artifactId\":\"" + id + "\",\"name\":\"" + name.replace("\\", "\\\\")
                + "\",\"parts\":[{\"text\":\"x\",\"filename\":\"" + filename + "\"}]}"));
    }
}
