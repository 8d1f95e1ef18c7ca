package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.ServiceSpec;
import io.agentserver.operator.api.ServiceType;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Desired objects of the small dependents: ConfigMap, Services, PodDisruptionBudget. */
class ServicesAndConfigDependentsTest {

    @Test
    void serverServiceExposesTheConfiguredTypeAndPortOnTheHttpContainerPort() {
        AgentServer resource = Samples.managed("demo");
        ServiceSpec service = new ServiceSpec();
        service.setType(ServiceType.LoadBalancer);
        service.setPort(80);
        service.setAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"));
        resource.getSpec().setService(service);

        Service desired = new ServerServiceDependent().desired(resource, null);

        assertThat(desired.getMetadata().getName()).isEqualTo("demo");
        assertThat(desired.getMetadata().getAnnotations()).containsKey("service.beta.kubernetes.io/aws-load-balancer-type");
        assertThat(desired.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(desired.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(80);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(desired.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "server");
    }

    @Test
    void serverServiceDefaultsToClusterIpOn8080() {
        Service desired = new ServerServiceDependent().desired(Samples.managed("demo"), null);

        assertThat(desired.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(desired.getSpec().getPorts().getFirst().getPort()).isEqualTo(8080);
    }

    @Test
    void configMapCarriesPlainSettingsAndThePassthroughAsEnvNames() {
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setConfig(Map.of("server.idle-connection-timeout", "PT30M", "AUTH_JWT_AUDIENCE", "ignored"));

        ConfigMap desired = new ConfigMapDependent().desired(resource, null);

        assertThat(desired.getMetadata().getName()).isEqualTo("demo-config");
        assertThat(desired.getData())
                .containsEntry("SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT", "PT30M")
                .containsEntry("AUTH_JWT_AUDIENCE", "authenticated")
                .containsEntry("XAGENT_GUEST_ENABLED", "false")
                .containsEntry("SERVER_PORT", "8080")
                .doesNotContainKeys("DB_CONNECTION_PASSWORD", "REDIS_URI");
    }

    @Test
    void podDisruptionBudgetAllowsOnePodDownAndSelectsTheServerPods() {
        PodDisruptionBudget desired = new PodDisruptionBudgetDependent().desired(Samples.managed("demo"), null);

        assertThat(desired.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(desired.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.INSTANCE, "demo")
                .containsEntry(Labels.COMPONENT, "server");
    }

    @Test
    void redisServiceAndPostgresHeadlessServiceSelectTheirOwnPods() {
        Service redis = new RedisServiceDependent().desired(Samples.managed("demo"), null);
        Service postgres = new PostgresServiceDependent().desired(Samples.managed("demo"), null);

        assertThat(redis.getMetadata().getName()).isEqualTo("demo-redis");
        assertThat(redis.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "redis");
        assertThat(redis.getSpec().getPorts().getFirst().getPort()).isEqualTo(6379);
        assertThat(postgres.getMetadata().getName()).isEqualTo("demo-postgres");
        assertThat(postgres.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(postgres.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "postgres");
        assertThat(postgres.getSpec().getPorts().getFirst().getPort()).isEqualTo(5432);
    }
}
