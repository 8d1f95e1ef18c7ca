package io.agentserver.service.store;

import java.time.Clock;
import java.util.List;

/** {@link ParameterStore} on the {@code interaction_parameters} table; arrival order is the identity order. */
public final class JdbcParameterStore implements ParameterStore {

    private final Sql sql;
    private final Clock clock;

    JdbcParameterStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public void add(String interactionId, String argsJson) {
        sql.update("add parameters of " + interactionId,
                "INSERT INTO interaction_parameters (interaction_id, args, create_time) VALUES (?, ?, ?)",
                interactionId, argsJson, Sql.at(clock.instant()));
    }

    @Override
    public List<String> list(String interactionId) {
        return sql.list("list parameters of " + interactionId,
                "SELECT args FROM interaction_parameters WHERE interaction_id = ? ORDER BY parameter_id",
                row -> Sql.stringAt(row, 1), interactionId);
    }
}
