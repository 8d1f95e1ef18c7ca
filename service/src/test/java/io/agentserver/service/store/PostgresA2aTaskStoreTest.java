package io.agentserver.service.store;

import io.agentserver.service.testing.TestDatabases;

/** The A2A task store on embedded PostgreSQL. */
class PostgresA2aTaskStoreTest extends A2aTaskStoreContract {

    @Override
    DatabaseSettings freshDatabase() {
        return TestDatabases.postgres();
    }
}
