package io.agentserver.service.bus;

public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
