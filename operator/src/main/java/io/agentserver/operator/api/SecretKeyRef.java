package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the AgentServer's namespace. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretKeyRef {

    @Required
    @JsonPropertyDescription("Name of the Secret, in the AgentServer's namespace")
    private String name;

    @Required
    @JsonPropertyDescription("Key inside the Secret")
    private String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
}
