package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * The real agents the server offers besides its built-in demo: the LLM agent (any OpenAI-compatible
 * Chat Completions server) and named Agent Protocol agents. Secrets are read with secretKeyRef env.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.agentProtocol) || self.agentProtocol.all(a, self.agentProtocol.exists_one(b, b.name == a.name))",
        message = "agents: each agentProtocol name must be unique")
@ValidationRule(value = "!has(self.agentProtocol) || self.agentProtocol.all(a, a.name != 'llm')",
        message = "agents: the name llm belongs to the built-in LLM agent; name the Agent Protocol agent differently")
@ValidationRule(value = "!has(self.default) || self.default != 'llm' || has(self.llm)",
        message = "agents: default llm needs agents.llm")
public class AgentsSpec {

    public static final String LLM = "llm";
    public static final String NAME_PATTERN = "^[a-z][a-z0-9]*$";
    public static final int MAX_AGENT_PROTOCOL = 16;

    @Pattern(NAME_PATTERN)
    @JsonPropertyDescription("Agent a client gets when it names none or an unknown one, e.g. llm or an agentProtocol name;"
            + " absent: the server's own default")
    @JsonProperty("default")
    private String defaultAgent;

    @JsonPropertyDescription("The built-in LLM agent, on an OpenAI-compatible Chat Completions server")
    private LlmAgentSpec llm;

    @Size(max = MAX_AGENT_PROTOCOL)
    @JsonPropertyDescription("Agent Protocol servers (AutoGPT classic and Forge agents), each selectable by its name")
    private List<AgentProtocolAgentSpec> agentProtocol;

    public String getDefaultAgent() { return defaultAgent; }
    public void setDefaultAgent(String defaultAgent) { this.defaultAgent = defaultAgent; }
    public LlmAgentSpec getLlm() { return llm; }
    public void setLlm(LlmAgentSpec llm) { this.llm = llm; }
    public List<AgentProtocolAgentSpec> getAgentProtocol() { return agentProtocol; }
    public void setAgentProtocol(List<AgentProtocolAgentSpec> agentProtocol) { this.agentProtocol = agentProtocol; }

    public List<AgentProtocolAgentSpec> agentProtocolOrEmpty() {
        return agentProtocol == null ? List.of() : agentProtocol;
    }
}
