package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.Agent;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.StepDraft;
import io.agentserver.service.agent.StepStatus;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Step;

import io.agentserver.service.agent.upstream.SpooledBody;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.agent.upstream.UpstreamFailure;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drives one Agent Protocol server: creates a task with the goal, executes steps until one is the last, and
 * shows each as an inner step of the single subtask {@code 1.1}; artifacts become workspace files. A step that
 * asks for input (see {@link InputRequest}) is followed by an {@code ask_for_human_help} step whose reply is the
 * next step's input; in manual mode every step waits for the human, whose reply (if any) is the next input.
 * A stop is honoured between steps, and during a step within {@link UpstreamClient#STOP_CHECK_INTERVAL}
 * (the request is abandoned; the protocol cannot cancel the remote step). The server's errors, timeouts and
 * answers over their caps end the run as failed with the reason, as do an artifact over its size cap and more
 * artifacts than a run keeps (see {@link RemoteAgentSettings}).
 */
public final class AgentProtocolAgent implements Agent, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentProtocolAgent.class.getName());

    private final RemoteAgentSettings settings;
    private final UpstreamClient upstream;

    public AgentProtocolAgent(RemoteAgentSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.upstream = new UpstreamClient(settings.upstream(), telemetry);
    }

    /** One agent per configured server. */
    public static List<AgentProtocolAgent> all(AgentProtocolSettings settings, AgentTelemetry telemetry) {
        settings.agents().forEach(s -> LOG.log(Level.INFO, "agent protocol agent " + s));
        return settings.agents().stream().map(s -> new AgentProtocolAgent(s, telemetry)).toList();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
        try {
            drive(ctx);
        } catch (UpstreamFailure e) {
            // counted by the upstream client
            LOG.log(Level.INFO, "remote agent failed interaction=" + ctx.interactionId() + " agent=" + name()
                    + " kind=" + e.kind());
            throw new RunFailure(e.getMessage());
        }
    }

    @Override
    public void close() {
        upstream.close();
    }

    private void drive(RunContext ctx) throws InterruptedException {
        AgentProtocolClient client = new AgentProtocolClient(upstream, ctx::stopped);
        String goal = ctx.args().path("goal").asText("");
        String taskId = client.createTask(goal, ctx.args().path("additional_input"));
        ctx.emit(StepDraft.of(StepStatus.START, InnerStepData.PLAN_TASK, InnerStepData.plan(name(), goal, taskId)));

        Set<String> downloaded = new HashSet<>();
        Optional<String> input = Optional.empty();
        for (int executed = 0; ; executed++) {
            ctx.pause(Duration.ZERO);
            if (executed == settings.maxSteps()) {
                throw new RunFailure("agent " + name() + " did not finish within " + settings.maxSteps() + " steps");
            }
            RemoteStep step = client.executeStep(taskId, input.orElse(null));
            List<String> files = save(ctx, client, taskId, step.artifacts(), downloaded);
            Optional<String> question = InputRequest.question(step);
            boolean approve = ctx.manual() && !step.isLast() && question.isEmpty();
            String nodeId = NodeIds.next();
            Step shown = ctx.emit(new StepDraft(StepStatus.INNER, InnerStepData.SUBTASK,
                    InnerStepData.inner(step, input.orElse(null), files, nodeId), nodeId, approve));
            input = Optional.empty();
            if (question.isPresent()) {
                input = InputRequest.answer(ask(ctx, question.get()));
            } else if (approve) {
                input = InputRequest.answer(ctx.awaitReply(shown, null));
            }
            if (step.isLast()) {
                break;
            }
        }
        save(ctx, client, taskId, client.artifacts(taskId, settings.maxArtifacts() + 1), downloaded);
        ctx.emit(StepDraft.of(StepStatus.FINISHED, "", Json.array()));
    }

    private JsonNode ask(RunContext ctx, String question) throws InterruptedException {
        String nodeId = NodeIds.next();
        Step ask = ctx.emit(new StepDraft(StepStatus.ASK_FOR_HUMAN_HELP, nodeId,
                Json.mapper().getNodeFactory().textNode(question), nodeId, true));
        return ctx.awaitReply(ask, null);
    }

    /**
     * Downloads the artifacts not downloaded yet into the workspace, each through a temporary file of at most
     * {@code max-artifact-bytes}; their workspace names. One over its size cap, or one more than the run may keep,
     * ends the run (nothing of it is stored).
     */
    private List<String> save(RunContext ctx, AgentProtocolClient client, String taskId,
                              List<RemoteArtifact> artifacts, Set<String> downloaded) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (RemoteArtifact artifact : artifacts) {
            if (downloaded.contains(artifact.artifactId())) {
                continue;
            }
            if (downloaded.size() == settings.maxArtifacts()) {
                throw new RunFailure("agent " + name() + ": the task has more than " + settings.maxArtifacts()
                        + " artifacts (" + settings.variable("max-artifacts") + "); the rest were not stored");
            }
            downloaded.add(artifact.artifactId());
            try (SpooledBody file = client.download(taskId, artifact.artifactId(), settings.maxArtifactBytes())) {
                ctx.writeFile(artifact.workspaceName(), file.bytes());
            } catch (UpstreamFailure e) {
                if (AgentTelemetry.TOO_LARGE.equals(e.kind())) {
                    throw new RunFailure("agent " + name() + ": artifact " + artifact.workspaceName()
                            + " is larger than " + settings.maxArtifactBytes() + " bytes ("
                            + settings.variable("max-artifact-bytes") + "); it was not stored");
                }
                throw e;
            }
            names.add(artifact.workspaceName());
        }
        return names;
    }
}
