package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.secrets.Redacted;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * A remote A2A agent behind our sockets: each run reads the agent's card (kept briefly), sends the goal and
 * follows the remote task (see {@link RemoteTaskRun}). The remote's errors end the run as failed with the reason.
 */
public final class A2aAgent implements Agent, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(A2aAgent.class.getName());

    private final A2aAgentSettings settings;
    private final UpstreamClients clients;
    private final AgentCards cards;

    public A2aAgent(A2aAgentSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.clients = new UpstreamClients(settings, telemetry);
        this.cards = new AgentCards(settings, clients.card());
    }

    /** One agent per configured A2A agent. */
    public static List<A2aAgent> all(A2aSettings settings, AgentTelemetry telemetry) {
        settings.agents().forEach(s -> LOG.log(Level.INFO, "a2a agent name=" + s.name() + " card="
                + Redacted.url(s.cardUrl()) + " token=" + Redacted.presence(s.token())
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
            new RemoteTaskRun(settings, clients, cards, ctx).drive();
        } catch (UpstreamFailure e) {
            // counted by the upstream client
            LOG.log(Level.INFO, "a2a agent failed interaction=" + ctx.interactionId() + " agent=" + name()
                    + " kind=" + e.kind());
            throw new RunFailure(e.getMessage());
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
