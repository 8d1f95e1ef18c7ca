package io.agentserver.service.agent;

/** The answer to a request a client made of the run-time: done, or refused with a message it can show. */
public sealed interface Outcome {

    Outcome DONE = new Done();

    record Done() implements Outcome {
    }

    record Refused(String message) implements Outcome {
    }

    static Outcome refused(String message) {
        return new Refused(message);
    }
}
