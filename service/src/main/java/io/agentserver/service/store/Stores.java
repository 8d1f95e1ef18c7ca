package io.agentserver.service.store;

/** The stores of one database, handed to the components that need them. */
public record Stores(UserStore users,
                     InteractionStore interactions,
                     ParameterStore parameters,
                     StepStore steps,
                     WorkspaceStore workspace,
                     ViewerStore viewers) {
}
