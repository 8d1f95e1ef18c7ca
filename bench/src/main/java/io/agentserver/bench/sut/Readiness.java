package io.agentserver.bench.sut;

import io.agentserver.bench.client.Frames;

/** What a client sends right after the upgrade, and the bytes of the reply that show it is served. */
public record Readiness(String request, byte[] reply) {

    public static Readiness of(String request, String reply) {
        return new Readiness(request, Frames.ascii(reply));
    }
}
