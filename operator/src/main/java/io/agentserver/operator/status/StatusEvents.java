package io.agentserver.operator.status;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events ({@code events.k8s.io/v1}) on the AgentServer: one for every phase change
 * (Warning for Degraded and Failed), and one for every new failure while it stays Degraded or Failed
 * (a different reason or message). {@code kubectl describe ags <name>} shows them. An event that
 * cannot be written is logged and never fails the reconcile.
 */
public final class StatusEvents {

    public static final String REPORTING_CONTROLLER = "agentserver.io/operator";
    public static final String ACTION = "Reconcile";
    private static final int MAX_NOTE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StatusEvents.class);
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final String reportingInstance;
    private final Clock clock;

    public StatusEvents(String reportingInstance, Clock clock) {
        this.reportingInstance = reportingInstance;
        this.clock = clock;
    }

    /** The event a status change deserves, if any. */
    public Optional<Event> eventFor(AgentServer resource, AgentServerStatus previous, AgentServerStatus next) {
        Phase before = previous == null ? null : previous.getPhase();
        Phase after = next.getPhase();
        Condition cause = failureCause(next);
        boolean failing = after == Phase.Degraded || after == Phase.Failed;
        if (before == after && !(failing && newFailure(previous, cause))) {
            return Optional.empty();
        }
        String reason = failing ? cause.getReason() : after.name();
        String note = (before == after ? "" : "Phase " + (before == null ? "none" : before) + " -> " + after + ": ")
                + (failing ? cause.getMessage() : readyMessage(next));
        return Optional.of(build(resource, failing ? "Warning" : "Normal", reason, note));
    }

    /** Writes the event a status change deserves; logs and carries on when the API server refuses it. */
    public void record(KubernetesClient client, AgentServer resource, AgentServerStatus previous, AgentServerStatus next) {
        eventFor(resource, previous, next).ifPresent(event -> {
            try {
                client.resource(event).inNamespace(resource.getMetadata().getNamespace()).create();
            } catch (KubernetesClientException e) {
                LOG.warn("namespace={} name={} event={} not recorded: {}", resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName(), event.getReason(), e.getMessage());
            }
        });
    }

    /** Writes one Warning event on the AgentServer; logs and carries on when the API server refuses it. */
    public void warn(KubernetesClient client, AgentServer resource, String reason, String note) {
        event(client, resource, "Warning", reason, note);
    }

    /** Writes one event of this type (Normal or Warning) on the AgentServer; logs and carries on when refused. */
    public void event(KubernetesClient client, AgentServer resource, String type, String reason, String note) {
        Event event = build(resource, type, reason, note);
        try {
            client.resource(event).inNamespace(resource.getMetadata().getNamespace()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("namespace={} name={} event={} not recorded: {}", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), reason, e.getMessage());
        }
    }

    private Event build(AgentServer resource, String type, String reason, String note) {
        Instant now = Instant.now(clock);
        return new EventBuilder()
                .withNewMetadata()
                    .withName(resource.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli())
                            + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()))
                    .withNamespace(resource.getMetadata().getNamespace())
                .endMetadata()
                .withEventTime(new MicroTime(MICRO_TIME.format(now.truncatedTo(ChronoUnit.MICROS))))
                .withReportingController(REPORTING_CONTROLLER)
                .withReportingInstance(reportingInstance)
                .withAction(ACTION)
                .withType(type)
                .withReason(reason)
                .withNote(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE - 3) + "..." : note)
                .withRegarding(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withNamespace(resource.getMetadata().getNamespace())
                        .withUid(resource.getMetadata().getUid())
                        .build())
                .build();
    }

    /** The condition that explains a Degraded or Failed phase: Reconciled when it failed, else Ready. */
    private static Condition failureCause(AgentServerStatus status) {
        return status.condition(ConditionType.RECONCILED).filter(c -> "False".equals(c.getStatus()))
                .or(() -> status.condition(ConditionType.READY))
                .orElseGet(() -> new io.fabric8.kubernetes.api.model.ConditionBuilder()
                        .withReason(String.valueOf(status.getPhase())).withMessage("").build());
    }

    private static boolean newFailure(AgentServerStatus previous, Condition cause) {
        Condition before = failureCause(previous);
        return !Objects.equals(before.getReason(), cause.getReason()) || !Objects.equals(before.getMessage(), cause.getMessage());
    }

    private static String readyMessage(AgentServerStatus status) {
        return status.condition(ConditionType.READY).map(Condition::getMessage).orElse("");
    }
}
