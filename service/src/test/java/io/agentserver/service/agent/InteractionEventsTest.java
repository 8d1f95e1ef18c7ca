package io.agentserver.service.agent;

import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InteractionEventsTest {

    @Test
    void aStepSurvivesTheBrokerUnchangedExceptTheReply() {
        Step step = new Step("i1", 7, "0123456789abcdef0123456789abcdef", "inner", "1.2",
                "{\"a\":[1,2]}", "[]", true, null, Instant.ofEpochMilli(1234));
        String wire = InteractionEvents.encode(new InteractionEvent.StepAppended(step));
        assertThat(InteractionEvents.decode(wire)).contains(new InteractionEvent.StepAppended(step));
    }

    @Test
    void stepDataOfEveryJsonKindSurvivesTheBrokerAsTheSameText() {
        for (String data : new String[] {"\"boom: a \\\"quoted\\\" } error\"", "null", "42", "-1.5e3", "true",
                "[]", "{\"text\":\"} ] , \\\" \\u00e9\",\"list\":[{\"a\":null},[1,2,{}]],\"n\":0}", "\"é ✓\""}) {
            Step step = new Step("i1", 3, "0123456789abcdef0123456789abcdef", "failed", "", data,
                    "[{\"name\":\"a.py\",\"suffix\":\"py\"}]", false, null, Instant.ofEpochMilli(99));
            String wire = InteractionEvents.encode(new InteractionEvent.StepAppended(step));
            assertThat(InteractionEvents.decode(wire)).as(data).contains(new InteractionEvent.StepAppended(step));
            assertThat(InteractionEvents.stepSeq(wire)).hasValue(3);
        }
    }

    @Test
    void aStepNoticeWithSpacesAndFieldsInAnotherOrderStillDecodes() {
        String wire = "{ \"time\" : 5, \"data\" : { \"a\" : [ 1 ] } , \"type\":\"step\", \"extra\":{\"x\":[1]},"
                + "\"interaction_id\":\"i2\",\"seq\":9,\"node_id\":\"n\",\"status\":\"inner\",\"current\":\"1.1\","
                + "\"workspace_file_list\":[],\"ask\":true}";
        assertThat(InteractionEvents.decode(wire)).contains(new InteractionEvent.StepAppended(new Step("i2", 9, "n",
                "inner", "1.1", "{ \"a\" : [ 1 ] }", "[]", true, null, Instant.ofEpochMilli(5))));
    }

    @Test
    void onlyStepNoticesHaveASequenceNumberToPeekAt() {
        var changed = new InteractionEvent.StatusChanged("i1", "u1", InteractionStatus.FINISHED, "done", 7);
        assertThat(InteractionEvents.stepSeq(InteractionEvents.encode(changed))).isEmpty();
        assertThat(InteractionEvents.stepSeq("not json")).isEmpty();
        assertThat(InteractionEvents.stepSeq("{\"seq\":4,\"type\":\"step\"}")).isEmpty();
    }

    @Test
    void aStatusChangeSurvivesTheBroker() {
        var changed = new InteractionEvent.StatusChanged("i1", "u1", InteractionStatus.ASK_FOR_HUMAN_HELP, "waiting", 3);
        assertThat(InteractionEvents.decode(InteractionEvents.encode(changed))).contains(changed);
    }

    @Test
    void foreignMessagesAreNotEvents() {
        assertThat(InteractionEvents.decode("not json")).isEmpty();
        assertThat(InteractionEvents.decode("{\"type\":\"step\"}")).isEmpty();
        assertThat(InteractionEvents.decode("{\"type\":\"other\",\"interaction_id\":\"i\"}")).isEmpty();
    }

    @Test
    void runControlMessagesRoundTrip() {
        for (RunControl control : new RunControl[] {new RunControl.Reply("n1"), new RunControl.Stop("CLIENT_CLOSED")}) {
            assertThat(RunControl.decode(RunControl.encode(control))).contains(control);
        }
        assertThat(RunControl.decode("{\"type\":\"reboot\"}")).isEmpty();
    }

    @Test
    void topicsAreNamespacedPerInteraction() {
        assertThat(InteractionEvents.eventsTopic("abc")).isEqualTo("agentserver:interaction:abc");
        assertThat(InteractionEvents.controlTopic("abc")).isEqualTo("agentserver:run:abc");
    }
}
