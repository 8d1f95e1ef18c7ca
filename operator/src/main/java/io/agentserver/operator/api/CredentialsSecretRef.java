package io.agentserver.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret with a database user name and password. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class CredentialsSecretRef {

    public static final String DEFAULT_USERNAME_KEY = "username";
    public static final String DEFAULT_PASSWORD_KEY = "password";

    @Required
    @JsonPropertyDescription("Name of the Secret, in the AgentServer's namespace")
    private String name;

    @Default(DEFAULT_USERNAME_KEY)
    @JsonPropertyDescription("Key of the user name")
    private String usernameKey;

    @Default(DEFAULT_PASSWORD_KEY)
    @JsonPropertyDescription("Key of the password")
    private String passwordKey;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getUsernameKey() { return usernameKey; }
    public void setUsernameKey(String usernameKey) { this.usernameKey = usernameKey; }
    public String getPasswordKey() { return passwordKey; }
    public void setPasswordKey(String passwordKey) { this.passwordKey = passwordKey; }

    public String usernameKeyOrDefault() { return usernameKey == null ? DEFAULT_USERNAME_KEY : usernameKey; }
    public String passwordKeyOrDefault() { return passwordKey == null ? DEFAULT_PASSWORD_KEY : passwordKey; }
}
