package io.agentserver.operator;

import io.agentserver.operator.dependent.CloudNativePgClusterDependent;
import io.agentserver.operator.dependent.MonitorDependent;
import io.agentserver.operator.model.PodSecurity;
import io.agentserver.operator.reconciler.AgentServerReconciler;
import io.agentserver.operator.status.InstanceMetrics;
import io.agentserver.operator.status.StatusAggregator;
import io.agentserver.operator.status.StatusEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** Starts the operator against the cluster of the kubeconfig or the service account. */
public final class OperatorMain {

    private OperatorMain() {
    }

    public static void main(String[] args) throws IOException {
        OperatorSettings settings = OperatorSettings.from(System.getenv());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", settings.logLevel());
        Logger log = LoggerFactory.getLogger(OperatorMain.class);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubernetesClient client = new KubernetesClientBuilder().build();
        Leadership leadership = settings.leaderElection() ? Leadership.elected(settings.identity()) : Leadership.always();
        Operator operator = setup(client, settings, registry, Clock.systemUTC(), leadership, true);
        HealthMetricsServer http = HealthMetricsServer.start(settings.httpPort(), operator, leadership, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(http::close));
        operator.installShutdownHook(Duration.ofSeconds(10));
        log.info("starting ssa={} namespaces={} leaderElection={} httpPort={}", settings.serverSideApply(),
                settings.watchedNamespaces().isEmpty() ? "all" : settings.watchedNamespaces(),
                settings.leaderElection(), http.port());
        operator.start();
    }

    /**
     * The operator with its controller registered, not started. Tests call this too.
     *
     * @param leadership        told when this replica starts and stops leading
     * @param exitOnFatalError false in tests, where losing the lease or an informer must not end the JVM (the SDK
     *                         exits on both in production, so that the pod restarts); an informer that stops is
     *                         logged instead, which also happens when a test closes its client mid-start
     */
    public static Operator setup(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
                                 Clock clock, Leadership leadership, boolean exitOnFatalError) {
        MonitorDependent.registerKinds(client);
        CloudNativePgClusterDependent.registerKinds(client);
        leadership.registerGauge(registry);
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .checkingCRDAndValidateLocalModel(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
                    .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
            if (!exitOnFatalError) {
                overrider.withInformerStoppedHandler((informer, error) -> LoggerFactory.getLogger(OperatorMain.class)
                        .warn("informer stopped type={} error=\"{}\"", informer.getApiTypeClass().getSimpleName(),
                                error == null ? "none" : error.getMessage()));
            }
            if (settings.leaderElection()) {
                var election = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                        .withIdentity(settings.identity())
                        .withLeaderCallbacks(leadership.callbacks())
                        .withExitOnStopLeading(exitOnFatalError)
                        .withLeaseDuration(settings.leaseTimings().leaseDuration())
                        .withRenewDeadline(settings.leaseTimings().renewDeadline())
                        .withRetryPeriod(settings.leaseTimings().retryPeriod());
                if (settings.leaseNamespace() != null) {
                    election.withLeaseNamespace(settings.leaseNamespace());
                }
                overrider.withLeaderElectionConfiguration(election.build());
            }
        });
        var reconciler = new AgentServerReconciler(new StatusAggregator(clock),
                new StatusEvents(settings.identity(), clock), new InstanceMetrics(registry),
                new PodSecurity(settings.fixedUserIds()), settings.podTemplatePolicy());
        operator.register(reconciler, configuration -> {
            if (settings.watchedNamespaces().isEmpty()) {
                configuration.watchingAllNamespaces();
            } else {
                configuration.settingNamespaces(settings.watchedNamespaces());
            }
        });
        return operator;
    }
}
