package io.agentserver.operator.api;

/** When the kubelet pulls a container image. */
public enum ImagePullPolicy {
    Always,
    IfNotPresent,
    Never
}
