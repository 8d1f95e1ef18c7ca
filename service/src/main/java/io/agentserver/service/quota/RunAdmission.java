package io.agentserver.service.quota;

import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.Outcome;
import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.agent.RunRequest;
import io.agentserver.service.agent.recording.RecordingAgent;
import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.UsageStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Whether a user may start a run, decided once at its start on whichever replica it starts: the shared guest user
 * only with the agents {@code XAGENT_GUEST_DASH_AGENTS} lists (and the recording player, which plays back what was
 * recorded); a metered agent only while the user has fewer than
 * the limit of runs going and started fewer than the limit within the last hour, and has tokens left today.
 * Refusals are values with a message the client shows.
 */
public final class RunAdmission implements RunCoordinator.Admission {

    private static final System.Logger LOG = System.getLogger(RunAdmission.class.getName());

    private final QuotaSettings settings;
    private final UsageStore usage;
    private final AgentCatalog agents;
    private final QuotaTelemetry telemetry;
    private final Clock clock;

    public RunAdmission(QuotaSettings settings, UsageStore usage, AgentCatalog agents, QuotaTelemetry telemetry,
                        Clock clock) {
        this.settings = settings;
        this.usage = usage;
        this.agents = agents;
        this.telemetry = telemetry;
        this.clock = clock;
    }

    /** Admits (and counts) the run, or refuses it with what the user can do about it. */
    @Override
    public Outcome admit(RunRequest request) {
        String userId = request.interaction().userId();
        String agent = agents.resolve(request.agentName()).name();
        if (settings.guestUserId().equals(userId) && !settings.guestMayRun(agent)
                && !RecordingAgent.NAME.equals(agent)) {
            return refuse("guest_agent", userId, agent, "the guest user may run only " + String.join(", ",
                    settings.guestAgents().stream().sorted().toList()) + "; sign in with your own account to run "
                    + agent);
        }
        if (!settings.metered(agent)) {
            return Outcome.DONE;
        }
        if (settings.tokensPerDay() > 0
                && usage.tokensOn(userId, LocalDate.now(clock.withZone(ZoneOffset.UTC))) >= settings.tokensPerDay()) {
            return refuse("tokens_per_day", userId, agent, "you have used your " + settings.tokensPerDay()
                    + " model tokens for today (QUOTA_TOKENS_DASH_PER_DASH_DAY); try again tomorrow (UTC)");
        }
        UsageStore.RunCounts counts;
        try {
            counts = usage.admitIf(userId, request.interaction().interactionId(), agent, clock.instant(),
                    QuotaSettings.HOUR, QuotaSettings.START_GRACE, this::withinLimits);
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "run admission failed user=" + userId + " agent=" + agent + ": " + e.getMessage());
            return Outcome.refused("the run could not start; please start it again");
        }
        if (settings.concurrentRuns() > 0 && counts.activeRuns() >= settings.concurrentRuns()) {
            return refuse("concurrent_runs", userId, agent, "you already have " + counts.activeRuns()
                    + " runs going, the most one user may have at once (QUOTA_CONCURRENT_DASH_RUNS); wait for one"
                    + " to end");
        }
        if (settings.runsPerHour() > 0 && counts.runsInWindow() >= settings.runsPerHour()) {
            return refuse("runs_per_hour", userId, agent, "you started " + counts.runsInWindow()
                    + " runs within the last hour, the most one user may (QUOTA_RUNS_DASH_PER_DASH_HOUR); try again"
                    + " later");
        }
        return Outcome.DONE;
    }

    private boolean withinLimits(UsageStore.RunCounts counts) {
        return (settings.concurrentRuns() == 0 || counts.activeRuns() < settings.concurrentRuns())
                && (settings.runsPerHour() == 0 || counts.runsInWindow() < settings.runsPerHour());
    }

    private Outcome refuse(String reason, String userId, String agent, String message) {
        telemetry.runRefused(reason);
        LOG.log(Level.INFO, "run refused user=" + userId + " agent=" + agent + " limit=" + reason);
        return Outcome.refused(message);
    }
}
