package io.agentserver.service.quota;

import io.agentserver.service.store.StoreException;
import io.agentserver.service.store.UsageStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * One run's model spend against its limits: asked before each model request whether the run may make it, told
 * after each what it used (counted into the user's day on every replica and into the spend metrics). Used from
 * the run's own thread.
 */
public final class RunBudget {

    private static final System.Logger LOG = System.getLogger(RunBudget.class.getName());

    private final QuotaSettings settings;
    private final UsageStore usage;
    private final QuotaTelemetry telemetry;
    private final Clock clock;
    private final String userId;
    private final String interactionId;
    private final String agent;
    private Spend spent = Spend.NONE;

    RunBudget(QuotaSettings settings, UsageStore usage, QuotaTelemetry telemetry, Clock clock, String userId,
              String interactionId, String agent) {
        this.settings = settings;
        this.usage = usage;
        this.telemetry = telemetry;
        this.clock = clock;
        this.userId = userId;
        this.interactionId = interactionId;
        this.agent = agent;
    }

    /** Why the run may not make another model request, or empty when it may. */
    public Optional<String> exhausted() {
        if (settings.tokensPerRun() > 0 && spent.totalTokens() >= settings.tokensPerRun()) {
            return Optional.of("the run reached its limit of " + settings.tokensPerRun()
                    + " model tokens (QUOTA_TOKENS_DASH_PER_DASH_RUN)");
        }
        if (settings.tokensPerDay() > 0 && usage != null) {
            if (usage.tokensOn(userId, today()) >= settings.tokensPerDay()) {
                telemetry.runRefused("tokens_per_day");
                return Optional.of("you have used your " + settings.tokensPerDay()
                        + " model tokens for today (QUOTA_TOKENS_DASH_PER_DASH_DAY); try again tomorrow (UTC)");
            }
        }
        return Optional.empty();
    }

    /** One model request used these tokens ({@code estimated} when the server reported none). */
    public void charge(long promptTokens, long completionTokens, boolean estimated) {
        spent = spent.plus(promptTokens, completionTokens, estimated);
        telemetry.tokensSpent(agent, settings.userClass(userId), promptTokens, completionTokens);
        if (usage != null) {
            try {
                usage.addTokens(userId, today(), promptTokens + completionTokens);
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "token spend not stored interaction=" + interactionId + " user=" + userId
                        + ": " + e.getMessage());
            }
        }
    }

    public Spend spent() {
        return spent;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }
}
