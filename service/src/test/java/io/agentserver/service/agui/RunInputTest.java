package io.agentserver.service.agui;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunInputTest {

    @Test
    void aNewRunTakesItsGoalFromTheLastUserMessageAndItsArgsFromForwardedProps() {
        RunInput.Result read = RunInput.read("""
                {"threadId":"t","runId":"r","messages":[{"id":"1","role":"user","content":"old"},
                 {"id":"2","role":"assistant","content":"hm"},
                 {"id":"3","role":"user","content":[{"type":"text","text":"line 1"},{"type":"text","text":"line 2"}]}],
                 "forwardedProps":{"mode":"manual","args":{"demo":{"subtasks":1}}}}""");
        RunInput.Start start = (RunInput.Start) read.input().orElseThrow();
        assertThat(start.goal()).isEqualTo("line 1\nline 2");
        assertThat(start.mode()).isEqualTo("manual");
        assertThat(start.args().path("demo").path("subtasks").asInt()).isEqualTo(1);
    }

    @Test
    void aResumeAnswersItsInterruptsAndACancelledOneCountsAsAnEmptyReply() {
        RunInput.Resume resume = (RunInput.Resume) RunInput.read("""
                {"threadId":"t","runId":"r2","messages":[],"resume":[
                 {"interruptId":"n1","status":"resolved","payload":{"answer":"yes"}},
                 {"interruptId":"n2","status":"cancelled","payload":{"answer":"ignored"}}]}""").input().orElseThrow();
        assertThat(resume.answers()).hasSize(2);
        assertThat(resume.answers().get(0).payload().path("answer").asText()).isEqualTo("yes");
        assertThat(resume.answers().get(1).payload().isEmpty()).isTrue();
    }

    @Test
    void whatIsNotARunAgentInputIsRefusedWithTheReason() {
        assertThat(RunInput.read("[]").invalid().orElseThrow().reason()).contains("JSON object");
        assertThat(RunInput.read("{\"runId\":\"r\",\"messages\":[]}").invalid().orElseThrow().reason()).contains("threadId");
        assertThat(RunInput.read("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":{}}").invalid().orElseThrow().reason())
                .contains("messages");
        assertThat(RunInput.read("{\"threadId\":\"t\",\"runId\":\"r\",\"messages\":[]}").invalid().orElseThrow().reason())
                .contains("user message");
        assertThat(RunInput.read("""
                {"threadId":"t","runId":"r","messages":[{"role":"user","content":"x"}],"forwardedProps":{"mode":"fast"}}""")
                .invalid().orElseThrow().reason()).contains("mode");
    }
}
