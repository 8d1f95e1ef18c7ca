package io.agentserver.operator.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a service configuration key into the environment variable Helidon maps back to it:
 * {@code server.idle-connection-timeout} becomes {@code SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT}.
 * A key that already is an environment variable name stays as it is.
 */
public final class EnvName {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    private EnvName() {
    }

    public static String of(String configKey) {
        if (ENV_NAME.matcher(configKey).matches()) {
            return configKey;
        }
        return configKey.toUpperCase(Locale.ROOT)
                .replace("-", "_dash_")
                .replace('.', '_');
    }
}
