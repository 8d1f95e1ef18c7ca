package io.agentserver.service;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts the agent server from {@code application.yaml}, environment variables and system properties. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AgentServer server = AgentServer.start(Config.create());
        // The only shutdown hook: SIGTERM drains (1001 to every socket, then runs, server and stores) within
        // shutdown.drain-timeout.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
