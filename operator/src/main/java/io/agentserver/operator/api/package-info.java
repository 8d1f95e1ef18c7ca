/**
 * The {@code AgentServer} custom resource ({@code agentserver.io/v1alpha1}): the spec a platform
 * team writes and the status the operator reports. These classes are the single source of the
 * CRD: the fabric8 CRD generator turns them, with their validation annotations (required fields,
 * ranges, patterns, defaults and CEL rules), into the YAML that ships in the Helm chart and in
 * {@code k8s/crd/}. Accessors without a {@code get} prefix resolve defaults for code that runs
 * against an API server that does not apply them (and are invisible to Jackson).
 */
package io.agentserver.operator.api;
