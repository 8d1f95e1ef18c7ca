package io.agentserver.service.bus;

@FunctionalInterface
public interface MessageListener {
    void onMessage(String channel, String message);
}
