package io.agentserver.service.store;

import io.agentserver.service.testing.TestDatabases;

/** The store contract on an in-memory H2 database. */
class H2StoreTest extends StoreContract {

    @Override
    DatabaseSettings freshDatabase() {
        return TestDatabases.h2();
    }
}
