package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.NodeIds;
import io.agentserver.service.agent.Outcome;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.agent.RunRequest;
import io.agentserver.service.agent.recording.RecordingAgent;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.AguiRun;
import io.agentserver.service.store.AguiRunStore;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The four AG-UI routes ({@code protocol/agui.md}): the agents, a run (new or resumed) as an event stream, the
 * rejoin of a run's stream, and cancel. Every error is a JSON {@code {"error": …}} answered before any stream opens:
 * 401, 404, 400, 409 (and 413 for a body over the cap, 429 over a per-user limit).
 */
public final class AguiRoutes implements HttpService {

    private static final System.Logger LOG = System.getLogger(AguiRoutes.class.getName());
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final int MAX_ID_CHARS = 256;

    /** An answer that is not a stream. */
    private static final class Refusal extends RuntimeException {
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final JwtVerifier jwt;
    private final AgentCatalog agents;
    private final Predicate<String> streamsOutput;
    private final Stores stores;
    private final AguiRunStore aguiRuns;
    private final RunCoordinator runs;
    private final AguiStreams streams;
    private final AguiSettings settings;
    private final Clock clock;

    AguiRoutes(JwtVerifier jwt, AgentCatalog agents, Predicate<String> streamsOutput, Stores stores,
               AguiRunStore aguiRuns, RunCoordinator runs, AguiStreams streams, AguiSettings settings, Clock clock) {
        this.jwt = jwt;
        this.agents = agents;
        this.streamsOutput = streamsOutput;
        this.stores = stores;
        this.aguiRuns = aguiRuns;
        this.runs = runs;
        this.streams = streams;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ag-ui", guarded(this::listAgents))
                .post("/ag-ui/{agent}", guarded(this::run))
                .get("/ag-ui/{agent}/runs/{runId}/events", guarded(this::events))
                .post("/ag-ui/{agent}/runs/{runId}/cancel", guarded(this::cancel));
    }

    private interface Route {
        void handle(ServerRequest req, ServerResponse res);
    }

    private static io.helidon.webserver.http.Handler guarded(Route route) {
        return (req, res) -> {
            try {
                route.handle(req, res);
            } catch (Refusal refusal) {
                error(res, refusal.status, refusal.getMessage());
            }
        };
    }

    // ---- GET /ag-ui --------------------------------------------------------------------------------------

    private void listAgents(ServerRequest req, ServerResponse res) {
        caller(req);
        ArrayNode list = Json.array();
        for (String name : agents.names()) {
            list.addObject().put("name", name).put("description", description(name));
        }
        ObjectNode body = Json.object();
        body.set("agents", list);
        json(res, 200, body);
    }

    private static String description(String name) {
        return switch (name) {
            case "demo" -> "A deterministic demo agent: a plan, a few steps per subtask, a report in the workspace"
                    + " (forwardedProps.args.demo: subtasks, inner, delay_ms, ask_human)";
            case "llm" -> "The LLM agent: plans and works through subtasks with tools on an OpenAI-compatible model,"
                    + " streaming its output";
            case RecordingAgent.NAME -> "Replays a recorded XAgent run (forwardedProps.args."
                    + RecordingAgent.RECORDING_ARG + ": the recording's name)";
            default -> "The agent " + name;
        };
    }

    // ---- POST /ag-ui/{agent} -----------------------------------------------------------------------------

    private void run(ServerRequest req, ServerResponse res) {
        String user = caller(req);
        String agent = knownAgent(req);
        RunInput.Result read = RunInput.read(body(req));
        if (read.invalid().isPresent()) {
            throw new Refusal(400, read.invalid().get().reason());
        }
        RunInput input = read.input().orElseThrow();
        if (input.threadId().length() > MAX_ID_CHARS || input.runId().length() > MAX_ID_CHARS) {
            throw new Refusal(400, "\"threadId\" and \"runId\" may have at most " + MAX_ID_CHARS + " characters");
        }
        if (aguiRuns.find(input.runId()).isPresent()) {
            throw new Refusal(409, "runId " + input.runId() + " was used before; every run needs a new runId");
        }
        AguiStreams.Slot slot = streams.admit(user)
                .orElseThrow(() -> new Refusal(429, "too many connections, please close another one"));
        try {
            switch (input) {
                case RunInput.Start start -> start(req, res, slot, user, agent, start);
                case RunInput.Resume resume -> resume(res, slot, user, agent, resume);
            }
        } finally {
            slot.release();
        }
    }

    private void start(ServerRequest req, ServerResponse res, AguiStreams.Slot slot, String user, String agent,
                       RunInput.Start start) {
        Optional<Pending> pending = latest(user, start.threadId()).flatMap(this::pendingInterrupt);
        if (pending.isPresent()) {
            streams.refuse(slot, res, start.threadId(), start.runId(), "the thread's run waits for the answer to"
                    + " interrupt " + pending.get().step().nodeId() + "; resume it", "interrupt_pending");
            return;
        }
        var now = clock.instant();
        String goal = start.goal();
        Interaction interaction = new Interaction(NodeIds.next(), user, now, now,
                goal.length() > 64 ? goal.substring(0, 64) : goal, agent, start.mode(), "[]", "",
                InteractionStatus.READY, "ready...", "-1", false, "ag-ui", false);
        stores.interactions().insert(interaction);
        stores.parameters().add(interaction.interactionId(), Json.write(start.args()));
        AguiRun run = new AguiRun(start.runId(), start.threadId(), interaction.interactionId(), user, agent, 0, now);
        if (!aguiRuns.insert(run)) {
            throw new Refusal(409, "runId " + start.runId() + " was used before; every run needs a new runId");
        }
        Outcome outcome = runs.start(new RunRequest(interaction, agent, start.mode(), start.args(), Json.array(), true,
                false));
        if (outcome instanceof Outcome.Refused(String message)) {
            stores.interactions().transition(interaction.interactionId(), Set.of(InteractionStatus.READY),
                    InteractionStatus.CLOSED, message);
            throw new Refusal(429, message);
        }
        LOG.log(Level.INFO, "agui run started user=" + user + " agent=" + agent + " thread=" + start.threadId()
                + " run=" + start.runId() + " interaction=" + interaction.interactionId());
        streams.serve(slot, res, run, 0, streamsOutput.test(agent), true);
    }

    private void resume(ServerResponse res, AguiStreams.Slot slot, String user, String agent, RunInput.Resume resume) {
        AguiRun previous = latest(user, resume.threadId())
                .orElseThrow(() -> new Refusal(404, "no run of yours on thread " + resume.threadId()));
        if (!previous.agent().equals(agent)) {
            throw new Refusal(404, "thread " + resume.threadId() + " is not a thread of agent " + agent);
        }
        Optional<Pending> pending = pendingInterrupt(previous);
        Optional<RunInput.Answer> answer = pending.flatMap(p -> resume.answers().stream()
                .filter(a -> a.interruptId().equals(p.step().nodeId())).findFirst());
        if (answer.isEmpty()) {
            streams.refuse(slot, res, resume.threadId(), resume.runId(), pending.isEmpty()
                    ? "the thread has no interrupt waiting for an answer"
                    : "resume does not answer interrupt " + pending.get().step().nodeId(), "interrupt_mismatch");
            return;
        }
        Step step = pending.get().step();
        AguiRun run = new AguiRun(resume.runId(), resume.threadId(), previous.interactionId(), user, agent,
                step.seq() + 1, clock.instant());
        if (!aguiRuns.insert(run)) {
            throw new Refusal(409, "runId " + resume.runId() + " was used before; every run needs a new runId");
        }
        if (runs.reply(previous.interactionId(), step.nodeId(), answer.get().payload(), Json.array())
                instanceof Outcome.Refused(String message)) {
            throw new Refusal(409, message);
        }
        LOG.log(Level.INFO, "agui run resumed user=" + user + " thread=" + resume.threadId() + " run="
                + resume.runId() + " interaction=" + previous.interactionId() + " interrupt=" + step.nodeId());
        streams.serve(slot, res, run, 0, streamsOutput.test(agent), true);
    }

    /** A stored run paused on a step that awaits a human. */
    private record Pending(Interaction interaction, Step step) {
    }

    private Optional<AguiRun> latest(String user, String threadId) {
        return aguiRuns.latestOfThread(user, threadId);
    }

    private Optional<Pending> pendingInterrupt(AguiRun run) {
        Optional<Interaction> interaction = stores.interactions().find(run.interactionId());
        Optional<LogHead> head = stores.interactions().head(run.interactionId());
        if (interaction.isEmpty() || head.isEmpty() || interaction.get().status().isFinal() || head.get().lastSeq() < 0) {
            return Optional.empty();
        }
        List<Step> last = stores.steps().page(run.interactionId(), head.get().lastSeq(), 1, Long.MAX_VALUE);
        return last.stream().filter(s -> s.askForHumanHelp() && !s.answered()).findFirst()
                .map(s -> new Pending(interaction.get(), s));
    }

    // ---- GET /ag-ui/{agent}/runs/{runId}/events -----------------------------------------------------------

    private void events(ServerRequest req, ServerResponse res) {
        String user = caller(req);
        AguiRun run = ownedRun(req, user);
        long after = lastEventId(req);
        AguiStreams.Slot slot = streams.admit(user)
                .orElseThrow(() -> new Refusal(429, "too many connections, please close another one"));
        try {
            streams.serve(slot, res, run, after, streamsOutput.test(run.agent()), false);
        } finally {
            slot.release();
        }
    }

    private static long lastEventId(ServerRequest req) {
        Optional<String> header = req.headers().first(LAST_EVENT_ID);
        Optional<String> query = req.query().contains("after") ? Optional.of(req.query().get("after")) : Optional.empty();
        String value = header.or(() -> query).orElse("0").trim();
        try {
            long after = Long.parseLong(value);
            if (after < 0) {
                throw new NumberFormatException();
            }
            return after;
        } catch (NumberFormatException e) {
            throw new Refusal(400, "Last-Event-ID (or ?after=) must be a number of events, 0 or more");
        }
    }

    // ---- POST /ag-ui/{agent}/runs/{runId}/cancel ----------------------------------------------------------

    private void cancel(ServerRequest req, ServerResponse res) {
        String user = caller(req);
        AguiRun run = ownedRun(req, user);
        Interaction interaction = stores.interactions().find(run.interactionId())
                .orElseThrow(() -> new Refusal(404, "run " + run.runId() + " does not exist"));
        if (interaction.status().isFinal()) {
            throw new Refusal(409, "run " + run.runId() + " has ended (" + interaction.status().wire() + ")");
        }
        if (interaction.status() == InteractionStatus.READY) {
            stores.interactions().transition(interaction.interactionId(), Set.of(InteractionStatus.READY),
                    InteractionStatus.CLOSED, "cancelled");
        } else {
            runs.stop(interaction.interactionId());
        }
        LOG.log(Level.INFO, "agui run cancelled user=" + user + " run=" + run.runId() + " interaction="
                + run.interactionId());
        json(res, 202, Json.object().put("runId", run.runId()).put("status", "cancelling"));
    }

    // ---- shared --------------------------------------------------------------------------------------------

    private String caller(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        String token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).orElse(null);
        return switch (jwt.verify(token)) {
            case TokenCheck.Valid valid -> valid.identity().userId();
            case TokenCheck.Missing missing -> throw new Refusal(401, "missing bearer token");
            case TokenCheck.NoSubject noSubject -> throw new Refusal(401, "the token has no subject");
            case TokenCheck.Invalid invalid -> throw new Refusal(401, "invalid token");
        };
    }

    private String knownAgent(ServerRequest req) {
        String agent = req.path().pathParameters().get("agent");
        if (!agents.names().contains(agent)) {
            throw new Refusal(404, "unknown agent " + agent);
        }
        return agent;
    }

    private AguiRun ownedRun(ServerRequest req, String user) {
        String agent = knownAgent(req);
        String runId = req.path().pathParameters().get("runId");
        return aguiRuns.find(runId).filter(r -> r.userId().equals(user) && r.agent().equals(agent))
                .orElseThrow(() -> new Refusal(404, "run " + runId + " does not exist"));
    }

    private String body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return "";
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(settings.maxBodyBytes() + 1);
            if (bytes.length > settings.maxBodyBytes()) {
                throw new Refusal(413, "the body is larger than " + settings.maxBodyBytes() + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void error(ServerResponse res, int status, String message) {
        json(res, status, Json.object().put("error", message));
    }

    private static void json(ServerResponse res, int status, ObjectNode body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }
}
