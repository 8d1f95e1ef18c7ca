package io.agentserver.service.store;

import java.nio.file.Path;

import io.agentserver.service.testing.TestDatabases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on an in-memory H2 database, and what only the H2 file database does. */
class H2StoreTest extends StoreContract {

    @Override
    DatabaseSettings freshDatabase() {
        return TestDatabases.h2();
    }

    @Test
    void aFileDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("nested/agentserver") + ";DB_CLOSE_ON_EXIT=FALSE";
        DatabaseSettings settings = new DatabaseSettings(url, "sa", "", 2, true);
        try (Database first = Database.open(settings)) {
            first.stores().parameters().add("kept", "{\"goal\":\"g\"}");
        }
        try (Database second = Database.open(settings)) {
            assertThat(second.stores().parameters().list("kept")).containsExactly("{\"goal\":\"g\"}");
            assertThat(second.stores().users().findById("guest")).isPresent();
        }
    }
}
