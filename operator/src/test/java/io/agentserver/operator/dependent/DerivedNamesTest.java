package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitoringSpec;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.SpecCheck;
import io.agentserver.operator.support.AgentSamples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission limit on {@code metadata.name} ({@value AgentServer#MAX_NAME_LENGTH}) keeps every
 * name and label value the operator derives from it within the API server's 63 characters, for
 * every object it can own (autoscaler, NetworkPolicies and monitors included) — and it is no looser
 * than it must be.
 */
class DerivedNamesTest {

    private static final int DNS_LABEL = 63;
    /** A StatefulSet's pods carry {@code controller-revision-hash: <statefulset>-<hash of up to 10>}. */
    private static final int REVISION_HASH = 10;

    @Test
    void aNameOfTheLongestAllowedLengthFitsEveryDerivedNameAndLabel() {
        String name = "a".repeat(AgentServer.MAX_NAME_LENGTH);
        assertThat(SpecCheck.nameProblems(name)).isEmpty();

        List<String> tooLong = overLongDerivedValues(everything(name));

        assertThat(tooLong).isEmpty();
    }

    @Test
    void oneCharacterMoreBreaksTheStatefulSetsRevisionLabelSoTheLimitIsTight() {
        String name = "a".repeat(AgentServer.MAX_NAME_LENGTH + 1);
        assertThat(SpecCheck.nameProblems(name)).isNotEmpty();

        assertThat(overLongDerivedValues(everything(name)))
                .containsExactly("controller-revision-hash of StatefulSet " + name + "-postgres");
    }

    /** A managed instance with agents, an autoscaler, a monitor and NetworkPolicies. */
    private static AgentServer everything(String name) {
        AgentServer owner = AgentSamples.managedWithAgents(name);
        owner.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.setEnabled(true);
        owner.getSpec().setMonitoring(monitoring);
        return owner;
    }

    private static List<String> overLongDerivedValues(AgentServer owner) {
        List<String> tooLong = new ArrayList<>();
        List<HasMetadata> objects = ServerSideApplyTest.everyDesiredObject(owner);
        assertThat(objects).extracting(HasMetadata::getKind).contains("HorizontalPodAutoscaler", "NetworkPolicy",
                "ServiceMonitor", "PodMonitor", "StatefulSet");
        Stream.concat(objects.stream().map(object -> object.getKind() + " " + object.getMetadata().getName()),
                        Stream.of("ConfigMap " + ResourceNames.config(owner), "Secret " + ResourceNames.credentials(owner)))
                .filter(kindAndName -> kindAndName.substring(kindAndName.indexOf(' ') + 1).length() > DNS_LABEL)
                .forEach(tooLong::add);
        for (HasMetadata object : objects) {
            String what = object.getKind() + " " + object.getMetadata().getName();
            labels(object.getMetadata(), what, tooLong);
            if (object instanceof Deployment deployment) {
                labels(deployment.getSpec().getTemplate().getMetadata(), what + " pod template", tooLong);
            }
            if (object instanceof StatefulSet statefulSet) {
                labels(statefulSet.getSpec().getTemplate().getMetadata(), what + " pod template", tooLong);
                if (object.getMetadata().getName().length() + 1 + REVISION_HASH > DNS_LABEL) {
                    tooLong.add("controller-revision-hash of " + what);
                }
            }
        }
        return tooLong;
    }

    private static void labels(ObjectMeta metadata, String what, List<String> tooLong) {
        if (metadata.getLabels() == null) {
            return;
        }
        for (Map.Entry<String, String> label : metadata.getLabels().entrySet()) {
            if (label.getValue().length() > DNS_LABEL) {
                tooLong.add(label.getKey() + " of " + what);
            }
        }
    }
}
