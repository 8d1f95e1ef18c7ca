package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * A remote A2A agent behind our sockets: each run reads the agent's card (kept briefly), sends the goal and
 * follows the remote task (see {@link RemoteTaskRun}). The remote's errors end the run as failed with the reason.
 */
public final class A2aAgent implements Agent {

    private static final System.Logger LOG = System.getLogger(A2aAgent.class.getName());

    private final A2aAgentSettings settings;
    private final AgentTelemetry telemetry;
    private final A2aHttp http;
    private final AgentCards cards;

    public A2aAgent(A2aAgentSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
        this.http = new A2aHttp(settings);
        this.cards = new AgentCards(settings, http);
    }

    /** One agent per configured A2A agent. */
    public static List<A2aAgent> all(A2aSettings settings, AgentTelemetry telemetry) {
        settings.agents().forEach(s -> LOG.log(Level.INFO, "a2a agent name=" + s.name() + " card="
                + Redaction.url(s.cardUrl()) + " token=" + (s.token().isPresent() ? "set" : "none")
                + " timeout=" + s.timeout() + " idle-timeout=" + s.idleTimeout()));
        return settings.agents().stream().map(s -> new A2aAgent(s, telemetry)).toList();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        try {
            new RemoteTaskRun(settings, http, cards, ctx).drive();
        } catch (A2aFailure e) {
            telemetry.upstreamError(name(), e.kind());
            LOG.log(Level.INFO, "a2a agent failed interaction=" + ctx.interactionId() + " agent=" + name()
                    + " kind=" + e.kind());
            throw new RunFailure(e.getMessage());
        }
    }
}
