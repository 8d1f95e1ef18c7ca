package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

import java.util.Map;

/** The Service in front of the agent server. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServiceSpec {

    public static final int DEFAULT_PORT = 8080;

    @Default("ClusterIP")
    @JsonPropertyDescription("Service type")
    private ServiceType type;

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Service port (the container always listens on 8080)")
    private Integer port;

    @JsonPropertyDescription("Annotations of the Service, e.g. for a cloud load balancer")
    private Map<String, String> annotations;

    public ServiceType getType() { return type; }
    public void setType(ServiceType type) { this.type = type; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }

    public ServiceType typeOrDefault() { return type == null ? ServiceType.ClusterIP : type; }
    public int portOrDefault() { return port == null ? DEFAULT_PORT : port; }
}
