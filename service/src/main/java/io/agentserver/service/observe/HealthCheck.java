package io.agentserver.service.observe;

/** One dependency readiness depends on. */
public record HealthCheck(String name, java.util.function.BooleanSupplier up) {
}
