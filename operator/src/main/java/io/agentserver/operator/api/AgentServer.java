package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One agent server instance: its Deployment, Service, configuration, Redis and PostgreSQL. The
 * name becomes the name of Services (DNS labels) and, with {@code -postgres}, of a StatefulSet
 * whose pods carry the label {@code controller-revision-hash: <statefulset>-<10 characters>}:
 * hence at most {@value #MAX_NAME_LENGTH} characters, lower case, starting with a letter. A name never
 * changes, so the rules are checked when an object is created only ({@code oldSelf.hasValue()} on any
 * update): an object created before a CRD upgrade added them still takes status writes, where the operator
 * reports the problem instead of keeping a stale Ready.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Group(AgentServer.GROUP)
@Version(AgentServer.VERSION)
@ShortNames("ags")
@ValidationRule(value = "oldSelf.hasValue() || size(self.metadata.name) <= " + AgentServer.MAX_NAME_LENGTH,
        optionalOldSelf = true,
        message = "metadata.name: at most " + AgentServer.MAX_NAME_LENGTH + " characters (the names and labels derived"
                + " from it, such as <name>-postgres-<revision hash>, must fit 63)")
@ValidationRule(value = "oldSelf.hasValue() || self.metadata.name.matches('" + AgentServer.NAME_PATTERN + "')",
        optionalOldSelf = true,
        message = "metadata.name: lower-case letters, digits and '-', starting with a letter (it names Services)")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(name = "Endpoint", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.endpoint")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class AgentServer extends CustomResource<AgentServerSpec, AgentServerStatus> implements Namespaced {

    public static final String GROUP = "agentserver.io";
    public static final String VERSION = "v1alpha1";
    /** 63 (a label value) - 10 (revision hash) - 1 - 9 ("-postgres"). */
    public static final int MAX_NAME_LENGTH = 43;
    public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
}
