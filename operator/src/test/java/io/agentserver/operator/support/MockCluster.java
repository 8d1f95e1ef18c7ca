package io.agentserver.operator.support;

import io.agentserver.operator.Leadership;
import io.agentserver.operator.OperatorMain;
import io.agentserver.operator.OperatorSettings;
import io.agentserver.operator.api.AgentServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode with the generated CRD applied, and the operator built
 * by {@link OperatorMain#setup} with server-side apply off (the mock does not support it). The
 * operator talks through its own client, whose requests the shipped RBAC authorizes
 * ({@link RulesReviewingCrudDispatcher}); {@link #client()} is the test's admin client.
 */
public final class MockCluster implements AutoCloseable {

    public static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/agentservers.agentserver.io-v1.yml");
    public static final String NAMESPACE = "agents";

    /** Held so the level sticks: the mock web server logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final RulesReviewingCrudDispatcher dispatcher;
    private final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private Operator operator;
    private Leadership leadership;

    private MockCluster() throws Exception {
        dispatcher = new RulesReviewingCrudDispatcher(ShippedRbac.fromShippedManifest());
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withOauthToken(RulesReviewingCrudDispatcher.OPERATOR_TOKEN).build()).build();
        try (InputStream crd = Files.newInputStream(GENERATED_CRD)) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    /** A cluster with the CRD, the operator not started. */
    public static MockCluster withCrd() throws Exception {
        return new MockCluster();
    }

    /** A cluster with the CRD and a started operator watching all namespaces. */
    public static MockCluster withOperator() throws Exception {
        MockCluster cluster = new MockCluster();
        cluster.startOperator(Map.of("OPERATOR_SSA", "false"));
        return cluster;
    }

    public void startOperator(Map<String, String> env) {
        startOperator(env, new SimpleMeterRegistry());
    }

    public void startOperator(Map<String, String> env, io.micrometer.core.instrument.MeterRegistry registry) {
        OperatorSettings settings = OperatorSettings.from(env);
        leadership = settings.leaderElection() ? Leadership.elected(settings.identity()) : Leadership.always();
        operator = OperatorMain.setup(operatorClient, settings, registry, Clock.systemUTC(), leadership, false);
        operator.start();
    }

    public KubernetesClient client() {
        return client;
    }

    /** Every request the operator sent, as "METHOD path?query". */
    public List<String> operatorRequests() {
        return dispatcher.operatorRequests();
    }

    /** The operator's requests the shipped RBAC refused, e.g. "patch coordination.k8s.io/leases ns/name". */
    public List<String> refusedByRbac() {
        return dispatcher.refused();
    }

    /** An operator set up with leader election but never started, like a standby replica before it wins. */
    public Operator operatorNotStarted() {
        return OperatorMain.setup(operatorClient, OperatorSettings.from(Map.of("OPERATOR_SSA", "false",
                "LEADER_ELECTION_ENABLED", "true")), new SimpleMeterRegistry(), Clock.systemUTC(),
                Leadership.elected("standby"), false);
    }

    public Leadership leadership() {
        return leadership;
    }

    public Operator operator() {
        return operator;
    }

    public AgentServer create(AgentServer resource) {
        resource.getMetadata().setUid(null);
        resource.getMetadata().setGeneration(null);
        return client.resource(resource).inNamespace(NAMESPACE).create();
    }

    /** Edits the spec as a user would, retrying when the operator's status write got there first (409). */
    public AgentServer edit(String name, java.util.function.UnaryOperator<AgentServer> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(AgentServer.class).inNamespace(NAMESPACE).withName(name).edit(change);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public AgentServer get(String name) {
        return client.resources(AgentServer.class).inNamespace(NAMESPACE).withName(name).get();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Plays the Deployment controller: every replica of the current generation updated and available. */
    public void markAvailable(String deployment) {
        client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).editStatus(d -> {
            int replicas = d.getSpec().getReplicas();
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withAvailableReplicas(replicas).withReadyReplicas(replicas)
                    .build());
            return d;
        });
    }

    /** Plays the StatefulSet controller: its one replica current and ready. */
    public void markReady(String statefulSet) {
        client.apps().statefulSets().inNamespace(NAMESPACE).withName(statefulSet).editStatus(s -> {
            int replicas = s.getSpec().getReplicas();
            s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                    .withObservedGeneration(s.getMetadata().getGeneration())
                    .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                    .withCurrentRevision("r1").withUpdateRevision("r1")
                    .build());
            return s;
        });
    }

    /**
     * Stand-in for the garbage collector the mock lacks: deletes what the given owner uid owns.
     *
     * @return the number of objects deleted
     */
    public int collectGarbage(String ownerUid, List<Class<? extends HasMetadata>> types) {
        int deleted = 0;
        for (Class<? extends HasMetadata> type : types) {
            List<? extends HasMetadata> owned = client.resources(type).inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(item -> item.getMetadata().getOwnerReferences() != null && item.getMetadata()
                            .getOwnerReferences().stream().anyMatch(ref -> ownerUid.equals(ref.getUid())))
                    .toList();
            for (HasMetadata item : owned) {
                client.resource(item).delete();
                deleted++;
            }
        }
        return deleted;
    }

    /** Every object of these types in the namespace. */
    public List<HasMetadata> all(List<Class<? extends HasMetadata>> types) {
        return types.stream()
                .flatMap(type -> Stream.<HasMetadata>of(client.resources(type).inNamespace(NAMESPACE).list()
                        .getItems().toArray(HasMetadata[]::new)))
                .toList();
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.stop();
        }
        operatorClient.close();
        client.close();
        server.destroy();
    }
}
