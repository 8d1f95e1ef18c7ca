package io.agentserver.service.agent.upstream;

import java.net.http.HttpHeaders;

/** A successful (2xx) answer: its status, headers and body ({@code byte[]} or a {@link SpooledBody}). */
public record UpstreamResponse<T>(int status, HttpHeaders headers, T body) {
}
