package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One remote agent (an Agent Protocol server, or an A2A agent), selectable by clients under {@code name}. */
@io.fabric8.generator.annotation.ValidationRule(
        value = "!self.url.endsWith('.json') || (has(self.protocol) && self.protocol == 'a2a')",
        message = "agentProtocol: a url ending in .json is an A2A agent card; set protocol: a2a")
@JsonIgnoreProperties(ignoreUnknown = true)
public class AgentProtocolAgentSpec {

    @Required
    @Pattern(AgentsSpec.NAME_PATTERN)
    @Size(max = 40)
    @JsonPropertyDescription("Agent name clients select (lowercase letters and digits); the server reads AGENTS_<NAME>_URL")
    private String name;

    @Required
    @Pattern("^https?://.+")
    @JsonPropertyDescription("Base url of the Agent Protocol server (without /ap/v1), e.g. http://forge:8000; for a2a the"
            + " agent's base url or its agent card url (ending in .json)")
    private String url;

    @io.fabric8.generator.annotation.Default(DEFAULT_PROTOCOL)
    @Pattern("^(agent-protocol|a2a)$")
    @JsonPropertyDescription("How the server talks to it: agent-protocol (AutoGPT's Agent Protocol) or a2a (AGENTS_<NAME>_PROTOCOL)")
    private String protocol;

    @JsonPropertyDescription("Secret key holding a bearer token for the server")
    private SecretKeyRef tokenSecretRef;

    @Pattern(LlmAgentSpec.TIMEOUT_PATTERN)
    @JsonPropertyDescription("Timeout of one request to the server, an ISO-8601 duration such as PT5M; absent: the server's default")
    private String timeout;

    @Min(1)
    @JsonPropertyDescription("Most steps of one run; absent: the server's default")
    private Integer maxSteps;

    public AgentProtocolAgentSpec() {
    }

    public AgentProtocolAgentSpec(String name, String url) {
        this.name = name;
        this.url = url;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public static final String DEFAULT_PROTOCOL = "agent-protocol";
    public static final String A2A = "a2a";

    public String getProtocol() { return protocol; }
    public void setProtocol(String protocol) { this.protocol = protocol; }
    public String protocolOrDefault() { return protocol == null ? DEFAULT_PROTOCOL : protocol; }
    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public SecretKeyRef getTokenSecretRef() { return tokenSecretRef; }
    public void setTokenSecretRef(SecretKeyRef tokenSecretRef) { this.tokenSecretRef = tokenSecretRef; }
    public String getTimeout() { return timeout; }
    public void setTimeout(String timeout) { this.timeout = timeout; }
    public Integer getMaxSteps() { return maxSteps; }
    public void setMaxSteps(Integer maxSteps) { this.maxSteps = maxSteps; }
}
