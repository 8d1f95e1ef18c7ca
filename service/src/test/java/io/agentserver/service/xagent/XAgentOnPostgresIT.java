package io.agentserver.service.xagent;

import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.TestDatabases;

class XAgentOnPostgresIT extends XAgentProtocolContract {

    @Override
    protected DatabaseSettings database() {
        return TestDatabases.postgres();
    }
}
