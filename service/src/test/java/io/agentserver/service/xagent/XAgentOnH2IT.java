package io.agentserver.service.xagent;

import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.TestDatabases;

class XAgentOnH2IT extends XAgentProtocolContract {

    @Override
    protected DatabaseSettings database() {
        return TestDatabases.h2();
    }
}
