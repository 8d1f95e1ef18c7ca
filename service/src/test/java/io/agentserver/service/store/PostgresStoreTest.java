package io.agentserver.service.store;

import io.agentserver.service.testing.TestDatabases;

/** The store contract on embedded PostgreSQL. */
class PostgresStoreTest extends StoreContract {

    @Override
    DatabaseSettings freshDatabase() {
        return TestDatabases.postgres();
    }
}
