package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The built-in LLM agent: where the Chat Completions server is, which model, and its limits. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class LlmAgentSpec {

    /** PT followed by hours, minutes and seconds, at least one of them (RE2 syntax: no lookahead). */
    public static final String TIMEOUT_PATTERN = "^PT(([0-9]+H)([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?"
            + "|([0-9]+M)([0-9]+(\\.[0-9]+)?S)?|([0-9]+(\\.[0-9]+)?S))$";

    @Pattern("^https?://.+")
    @JsonPropertyDescription("Base url of the Chat Completions API, e.g. http://ollama.ai:11434/v1; absent: the OpenAI API")
    private String baseUrl;

    @Required
    @JsonPropertyDescription("Model name, e.g. gpt-4o-mini or llama3.1")
    private String model;

    @JsonPropertyDescription("Secret key holding the API key (sent as a bearer token); absent for servers without keys")
    private SecretKeyRef apiKeySecretRef;

    @Pattern(TIMEOUT_PATTERN)
    @JsonPropertyDescription("Timeout of one LLM request, an ISO-8601 duration such as PT60S")
    private String timeout;

    @Min(1)
    @JsonPropertyDescription("Most steps of one run")
    private Integer maxSteps;

    @Min(1)
    @JsonPropertyDescription("Most tokens of one completion")
    private Integer maxTokens;

    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public SecretKeyRef getApiKeySecretRef() { return apiKeySecretRef; }
    public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) { this.apiKeySecretRef = apiKeySecretRef; }
    public String getTimeout() { return timeout; }
    public void setTimeout(String timeout) { this.timeout = timeout; }
    public Integer getMaxSteps() { return maxSteps; }
    public void setMaxSteps(Integer maxSteps) { this.maxSteps = maxSteps; }
    public Integer getMaxTokens() { return maxTokens; }
    public void setMaxTokens(Integer maxTokens) { this.maxTokens = maxTokens; }
}
