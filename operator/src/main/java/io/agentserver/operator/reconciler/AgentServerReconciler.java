package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerSpec;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.api.AuthSpec;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.dependent.ConfigMapDependent;
import io.agentserver.operator.dependent.CredentialsSecretDependent;
import io.agentserver.operator.dependent.HorizontalPodAutoscalerDependent;
import io.agentserver.operator.dependent.PodMonitorDependent;
import io.agentserver.operator.dependent.PostgresNetworkPolicyDependent;
import io.agentserver.operator.dependent.RedisNetworkPolicyDependent;
import io.agentserver.operator.dependent.ServiceMonitorDependent;
import io.agentserver.operator.dependent.PodDisruptionBudgetDependent;
import io.agentserver.operator.dependent.PostgresSecretDependent;
import io.agentserver.operator.dependent.PostgresServiceDependent;
import io.agentserver.operator.dependent.PostgresStatefulSetDependent;
import io.agentserver.operator.dependent.RedisDeploymentDependent;
import io.agentserver.operator.dependent.RedisServiceDependent;
import io.agentserver.operator.dependent.ReferencedSecrets;
import io.agentserver.operator.dependent.ServerDeploymentDependent;
import io.agentserver.operator.dependent.ServerServiceDependent;
import io.agentserver.operator.dependent.CloudNativePgBackupDependent;
import io.agentserver.operator.dependent.CloudNativePgClusterDependent;
import io.agentserver.operator.model.CloudNativePgCluster;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.PodTemplatePolicy;
import io.agentserver.operator.model.SecretReference;
import io.agentserver.operator.model.ServerEnvironment;
import io.agentserver.operator.model.SpecCheck;
import io.agentserver.operator.status.ComponentState;
import io.agentserver.operator.status.Observation;
import io.agentserver.operator.status.InstanceMetrics;
import io.agentserver.operator.status.Readiness;
import io.agentserver.operator.status.StatusEvents;
import io.agentserver.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles one AgentServer: check the spec and the Secrets it references, apply the workflow
 * of owned objects, report status. A bad spec changes nothing and says why in the status.
 */
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
        @Dependent(name = AgentServerReconciler.CONFIG, type = ConfigMapDependent.class),
        @Dependent(name = AgentServerReconciler.CREDENTIALS, type = CredentialsSecretDependent.class),
        @Dependent(name = AgentServerReconciler.SERVER_DEPLOYMENT, type = ServerDeploymentDependent.class,
                dependsOn = {AgentServerReconciler.CONFIG, AgentServerReconciler.CREDENTIALS}),
        @Dependent(name = "server-service", type = ServerServiceDependent.class),
        @Dependent(name = "pod-disruption-budget", type = PodDisruptionBudgetDependent.class,
                reconcilePrecondition = SeveralReplicasCondition.class),
        @Dependent(name = AgentServerReconciler.REDIS_DEPLOYMENT, type = RedisDeploymentDependent.class,
                dependsOn = AgentServerReconciler.CREDENTIALS, reconcilePrecondition = ManagedRedisCondition.class),
        @Dependent(name = "redis-service", type = RedisServiceDependent.class,
                reconcilePrecondition = ManagedRedisCondition.class),
        @Dependent(name = AgentServerReconciler.POSTGRES_SECRET, type = PostgresSecretDependent.class,
                dependsOn = AgentServerReconciler.CREDENTIALS, reconcilePrecondition = ManagedDatabaseCondition.class),
        @Dependent(name = AgentServerReconciler.POSTGRES_STATEFULSET, type = PostgresStatefulSetDependent.class,
                dependsOn = AgentServerReconciler.POSTGRES_SECRET, reconcilePrecondition = ManagedDatabaseCondition.class),
        @Dependent(name = "postgres-service", type = PostgresServiceDependent.class,
                reconcilePrecondition = ManagedDatabaseCondition.class),
        @Dependent(name = "autoscaler", type = HorizontalPodAutoscalerDependent.class,
                dependsOn = AgentServerReconciler.SERVER_DEPLOYMENT, reconcilePrecondition = AutoscalingCondition.class),
        @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependent.class,
                reconcilePrecondition = RedisNetworkPolicyCondition.class),
        @Dependent(name = "postgres-network-policy", type = PostgresNetworkPolicyDependent.class,
                reconcilePrecondition = PostgresNetworkPolicyCondition.class),
        @Dependent(name = "service-monitor", type = ServiceMonitorDependent.class,
                activationCondition = ServiceMonitorApiCondition.class, reconcilePrecondition = ServiceMonitorCondition.class),
        @Dependent(name = "pod-monitor", type = PodMonitorDependent.class,
                activationCondition = PodMonitorApiCondition.class, reconcilePrecondition = PodMonitorCondition.class),
        @Dependent(name = AgentServerReconciler.CLOUDNATIVEPG_CLUSTER, type = CloudNativePgClusterDependent.class,
                activationCondition = CloudNativePgApiCondition.ClusterServed.class,
                reconcilePrecondition = CloudNativePgCondition.class),
        @Dependent(name = "cloudnativepg-backup", type = CloudNativePgBackupDependent.class,
                dependsOn = AgentServerReconciler.CLOUDNATIVEPG_CLUSTER,
                activationCondition = CloudNativePgApiCondition.ScheduledBackupServed.class,
                reconcilePrecondition = CloudNativePgCondition.WithBackup.class),
})
@ControllerConfiguration(name = AgentServerReconciler.NAME)
public class AgentServerReconciler implements Reconciler<AgentServer> {

    public static final String NAME = "agentserver";
    static final String CONFIG = "config";
    static final String CREDENTIALS = PostgresSecretDependent.CREDENTIALS_DEPENDENT;
    static final String SERVER_DEPLOYMENT = "server-deployment";
    static final String REDIS_DEPLOYMENT = "redis-deployment";
    static final String POSTGRES_SECRET = "postgres-secret";
    static final String POSTGRES_STATEFULSET = "postgres-statefulset";
    static final String CLOUDNATIVEPG_CLUSTER = "cloudnativepg-cluster";

    private static final Logger LOG = LoggerFactory.getLogger(AgentServerReconciler.class);
    private static final Duration RETRY_AFTER_APPLY_ERROR = Duration.ofSeconds(30);
    private static final Duration LOOK_FOR_MISSING_SECRETS = Duration.ofSeconds(5);
    private static final Duration LOOK_FOR_CLOUDNATIVEPG = Duration.ofSeconds(10);
    /** The label change normally wakes the reconciler first; this is the safety net. */
    private static final Duration WAIT_FOR_WATCHED_SECRETS = Duration.ofSeconds(2);

    private final StatusAggregator statusAggregator;
    private final StatusEvents events;
    private final InstanceMetrics metrics;
    private final PodSecurity podSecurity;
    private final PodTemplatePolicy podTemplatePolicy;
    private final UnknownFieldsWarning unknownFields;

    /**
     * @param podSecurity       handed to the dependents through the workflow context
     * @param podTemplatePolicy what spec.podTemplate may add to the pods
     */
    public AgentServerReconciler(StatusAggregator statusAggregator, StatusEvents events, InstanceMetrics metrics,
                                 PodSecurity podSecurity, PodTemplatePolicy podTemplatePolicy) {
        this.statusAggregator = statusAggregator;
        this.events = events;
        this.metrics = metrics;
        this.podSecurity = podSecurity;
        this.podTemplatePolicy = podTemplatePolicy;
        this.unknownFields = new UnknownFieldsWarning(events);
    }

    @Override
    public List<EventSource<?, AgentServer>> prepareEventSources(EventSourceContext<AgentServer> context) {
        return List.of(ReferencedSecrets.eventSource(context));
    }

    @Override
    public UpdateControl<AgentServer> reconcile(AgentServer resource, Context<AgentServer> context) {
        unknownFields.check(context.getClient(), resource);
        List<String> specProblems = new ArrayList<>(SpecCheck.nameProblems(resource.getMetadata().getName()));
        specProblems.addAll(SpecCheck.problems(resource.getSpec(), podTemplatePolicy));
        if (specProblems.isEmpty()) {
            List<String> labelled = ReferencedSecrets.watchUnwatched(context, resource);
            if (!labelled.isEmpty()) {
                LOG.info("namespace={} name={} outcome=watching secrets={}", namespace(resource),
                        resource.getMetadata().getName(), labelled);
                return UpdateControl.<AgentServer>noUpdate().rescheduleAfter(WAIT_FOR_WATCHED_SECRETS);
            }
        }
        List<String> missingSecrets = specProblems.isEmpty() ? missingSecrets(resource, context) : List.of();
        if (specProblems.isEmpty() && missingSecrets.isEmpty()) {
            sharedSecretProblem(resource, context).ifPresent(specProblems::add);
        }
        List<String> applyErrors = specProblems.isEmpty() && missingSecrets.isEmpty() ? applyWorkflow(resource, context) : List.of();
        Optional<String> rolledBack = specProblems.isEmpty() && resource.getSpec().managedDatabase()
                ? PostgresForcedRollback.heal(context.getClient(), resource,
                        context.getSecondaryResource(StatefulSet.class, POSTGRES_STATEFULSET))
                : Optional.empty();
        rolledBack.ifPresent(note -> events.event(context.getClient(), resource, "Normal", "ForcedRollback", note));
        Observation observation = observe(resource, context, specProblems, missingSecrets, applyErrors);
        if (rolledBack.isPresent()) {
            observation = observation.withDatabase(ComponentState.progressing(PostgresForcedRollback.REASON, rolledBack.get()));
        } else {
            Optional<ComponentState> underway = PostgresForcedRollback.stillUnderway(resource.getStatus(), observation.database());
            if (underway.isPresent()) {
                observation = observation.withDatabase(underway.get());
            }
        }
        metrics.observe(resource, context.getPrimaryCache()::get);
        AgentServerStatus previous = resource.getStatus();
        Optional<AgentServerStatus> next = statusAggregator.next(resource, observation);
        UpdateControl<AgentServer> control = next.map(status -> {
            log(resource, status);
            events.record(context.getClient(), resource, previous, status);
            resource.setStatus(status);
            return UpdateControl.patchStatus(resource);
        }).orElseGet(() -> {
            LOG.debug("namespace={} name={} outcome=unchanged", namespace(resource), resource.getMetadata().getName());
            return UpdateControl.noUpdate();
        });
        if ("CloudNativePGNotInstalled".equals(observation.database().reason())) {
            // Nothing tells the operator when CloudNativePG's CRDs appear: look again.
            return control.rescheduleAfter(LOOK_FOR_CLOUDNATIVEPG);
        }
        if (!missingSecrets.isEmpty()) {
            // A Secret created later carries no label of ours, so the informer cannot report it: look again.
            return control.rescheduleAfter(LOOK_FOR_MISSING_SECRETS);
        }
        return applyErrors.isEmpty() ? control : control.rescheduleAfter(RETRY_AFTER_APPLY_ERROR);
    }

    /**
     * Applies the owned objects; what the API server refused, what a StatefulSet cannot take, and a
     * monitor the cluster cannot store.
     */
    private List<String> applyWorkflow(AgentServer resource, Context<AgentServer> context) {
        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(PodSecurity.class, podSecurity);
        List<String> errors = new ArrayList<>(workflow.reconcileManagedWorkflow().getErroredDependents().entrySet().stream()
                .map(error -> error.getKey().name() + ": " + rootMessage(error.getValue()))
                .toList());
        workflow.get(PostgresStatefulSetDependent.STORAGE_NOT_APPLIED, String.class)
                .ifPresent(message -> errors.add(POSTGRES_STATEFULSET + ": " + message));
        unservedMonitor(resource, context).ifPresent(errors::add);
        return errors;
    }

    @Override
    public ErrorStatusUpdateControl<AgentServer> updateErrorStatus(AgentServer resource, Context<AgentServer> context,
                                                                   Exception e) {
        LOG.warn("namespace={} name={} outcome=error message=\"{}\"", namespace(resource),
                resource.getMetadata().getName(), rootMessage(e));
        Observation observation = observe(resource, context, List.of(), List.of(), List.of("reconcile: " + rootMessage(e)));
        AgentServerStatus previous = resource.getStatus();
        return statusAggregator.next(resource, observation)
                .map(status -> {
                    events.record(context.getClient(), resource, previous, status);
                    resource.setStatus(status);
                    return ErrorStatusUpdateControl.patchStatus(resource);
                })
                .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
    }

    private Observation observe(AgentServer resource, Context<AgentServer> context, List<String> specProblems,
                                List<String> missingSecrets, List<String> applyErrors) {
        Optional<Deployment> server = context.getSecondaryResource(Deployment.class, SERVER_DEPLOYMENT);
        return new Observation(specProblems, missingSecrets, applyErrors,
                Readiness.ofDeployment("Deployment " + resource.getMetadata().getName(), server),
                redisState(resource, context), databaseState(resource, context),
                server.map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas()).orElse(null),
                server.map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas()).orElse(null));
    }

    private static ComponentState redisState(AgentServer resource, Context<AgentServer> context) {
        AgentServerSpec spec = resource.getSpec();
        if (spec != null && spec.managedRedis()) {
            return Readiness.ofDeployment("Redis Deployment " + resource.getMetadata().getName() + "-redis",
                    context.getSecondaryResource(Deployment.class, REDIS_DEPLOYMENT));
        }
        if (spec != null && spec.getRedis() != null && spec.getRedis().getCluster() != null) {
            return ComponentState.ready("ExternalCluster", "Using an external Redis Cluster seeded by "
                    + String.join(", ", spec.getRedis().getCluster().nodesOrEmpty())
                    + "; the agent server's readiness probe checks it");
        }
        if (spec != null && spec.getRedis() != null && spec.getRedis().getUrl() != null) {
            return ComponentState.ready("External", "Using external Redis " + withoutCredentials(spec.getRedis().getUrl())
                    + "; the agent server's readiness probe checks it");
        }
        return ComponentState.ready("InProcess", "No Redis configured: in-process event bus, one replica only");
    }

    private static ComponentState databaseState(AgentServer resource, Context<AgentServer> context) {
        AgentServerSpec spec = resource.getSpec();
        if (spec != null && spec.cloudNativePg()) {
            if (!CloudNativePgApiCondition.served(context, CloudNativePgCluster.CLUSTER)) {
                return ComponentState.failing("CloudNativePGNotInstalled", "spec.database.cloudNativePG: the cluster does not"
                        + " serve " + CloudNativePgCluster.API_VERSION + " Cluster; install CloudNativePG (its CRDs and operator)"
                        + " or choose another spec.database; the operator notices the CRDs without a restart");
            }
            return Readiness.ofCloudNativePg("CloudNativePG Cluster " + ResourceNames.cloudNativePg(resource),
                    context.getSecondaryResource(GenericKubernetesResource.class, CLOUDNATIVEPG_CLUSTER));
        }
        if (spec != null && spec.managedDatabase()) {
            return Readiness.ofStatefulSet("PostgreSQL StatefulSet " + resource.getMetadata().getName() + "-postgres",
                    context.getSecondaryResource(StatefulSet.class, POSTGRES_STATEFULSET));
        }
        if (spec != null && spec.getDatabase() != null && spec.getDatabase().getUrl() != null) {
            return ComponentState.ready("External", "Using external PostgreSQL " + withoutCredentials(spec.getDatabase().getUrl())
                    + "; the agent server's readiness probe checks it");
        }
        return ComponentState.ready("Embedded",
                "No database configured: embedded H2 on an emptyDir, development only (data is lost with the pod)");
    }

    private static List<String> missingSecrets(AgentServer resource, Context<AgentServer> context) {
        String namespace = namespace(resource);
        return new ServerEnvironment(resource).userSecrets().stream()
                .filter(ref -> !hasKey(ReferencedSecrets.find(context, namespace, ref.name()), ref))
                .map(ref -> ref.missingMessage(ReferencedSecrets.find(context, namespace, ref.name()).isPresent()))
                .distinct()
                .toList();
    }

    /** A monitor the spec asks for but the cluster cannot store, as a message that says what to do. */
    private static Optional<String> unservedMonitor(AgentServer resource, Context<AgentServer> context) {
        if (!resource.getSpec().monitored()) {
            return Optional.empty();
        }
        MonitorKind kind = resource.getSpec().getMonitoring().kindOrDefault();
        return MonitorApiCondition.served(context, kind) ? Optional.empty()
                : Optional.of("spec.monitoring: the cluster does not serve " + kind + " (monitoring.coreos.com/v1);"
                        + " install the Prometheus Operator's CRDs or disable spec.monitoring");
    }

    private static Optional<String> sharedSecretProblem(AgentServer resource, Context<AgentServer> context) {
        AuthSpec auth = resource.getSpec().authOrDefault();
        if (auth.getSecretRef() == null) {
            return Optional.empty();
        }
        return ReferencedSecrets.find(context, namespace(resource), auth.getSecretRef().getName())
                .flatMap(secret -> ReferencedSecrets.value(secret, auth.getSecretRef().getKey()))
                .flatMap(value -> SpecCheck.sharedSecretProblem(auth, value));
    }

    private static boolean hasKey(Optional<Secret> secret, SecretReference ref) {
        return secret.map(s -> (s.getData() != null && s.getData().containsKey(ref.key()))
                || (s.getStringData() != null && s.getStringData().containsKey(ref.key()))).orElse(false);
    }

    private static void log(AgentServer resource, AgentServerStatus status) {
        String ready = status.condition("Ready").map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
        if (status.getPhase() == Phase.Failed || status.getPhase() == Phase.Degraded) {
            LOG.warn("namespace={} name={} generation={} phase={} ready=\"{}\"", namespace(resource),
                    resource.getMetadata().getName(), status.getObservedGeneration(), status.getPhase(), ready);
        } else {
            LOG.info("namespace={} name={} generation={} phase={} ready=\"{}\"", namespace(resource),
                    resource.getMetadata().getName(), status.getObservedGeneration(), status.getPhase(), ready);
        }
    }

    /** A url fit for a status message: no user info, no query (JDBC urls may carry a password there). */
    static String withoutCredentials(String url) {
        String noQuery = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return noQuery.replaceFirst("//[^/@]*@", "//");
    }

    private static String namespace(AgentServer resource) {
        return resource.getMetadata().getNamespace();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
