package io.agentserver.service.store;

import io.agentserver.service.testing.TestDatabases;

/** The A2A task store on H2. */
class H2A2aTaskStoreTest extends A2aTaskStoreContract {

    @Override
    DatabaseSettings freshDatabase() {
        return TestDatabases.h2();
    }
}
