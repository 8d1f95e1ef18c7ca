package io.agentserver.service.store;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The service's database: migrates the schema with Flyway, pools connections with HikariCP behind
 * Helidon DbClient, seeds the guest user, and hands out the {@link Stores}. One per process; close it
 * on shutdown.
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());

    /**
     * Flyway tells every step of every run at INFO. Held here (JUL keeps loggers weakly) and lowered
     * to WARNING unless the logging configuration set a level for it; we report migrations ourselves.
     */
    private static final java.util.logging.Logger FLYWAY_LOGGER =
            quiet(java.util.logging.Logger.getLogger("org.flywaydb"));

    /** XAgent's default login: {@code email=Guest}, {@code token=xagent}. */
    static final String GUEST_ID = "guest";
    static final String GUEST_EMAIL = "Guest";
    static final String GUEST_NAME = "guest";
    static final String GUEST_TOKEN = "xagent";

    private static final String MIGRATIONS = "classpath:db/migration";
    private static final String POOL_NAME = "agent-server-db";
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private final DbClient dbClient;
    private final Stores stores;
    private final A2aTaskStore a2aTasks;
    private final UsageStore usage;
    private final PartialOutputStore partials;
    private final AguiRunStore aguiRuns;
    private volatile boolean closed;

    private Database(DbClient dbClient, Clock clock) {
        this.dbClient = dbClient;
        Sql sql = new Sql(dbClient);
        JdbcInteractionStore interactions = new JdbcInteractionStore(sql, clock);
        this.stores = new Stores(new JdbcUserStore(sql), interactions, new JdbcParameterStore(sql, clock),
                new JdbcStepStore(sql, clock), new JdbcWorkspaceStore(sql, clock), new JdbcViewerStore(sql, interactions));
        this.a2aTasks = new JdbcA2aTaskStore(sql, clock);
        this.usage = new JdbcUsageStore(sql);
        this.partials = new JdbcPartialOutputStore(sql);
        this.aguiRuns = new JdbcAguiRunStore(sql);
    }

    /** The side log of streamed model output (AG-UI's live deltas). */
    public PartialOutputStore partials() {
        return partials;
    }

    /** The AG-UI runs and the stored runs they view. */
    public AguiRunStore aguiRuns() {
        return aguiRuns;
    }

    /** What per-user limits count (admissions, tokens), shared by every replica on this database. */
    public UsageStore usage() {
        return usage;
    }

    /** Migrates, connects and seeds; fails with {@link StoreException} when the database is unusable. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** As {@link #open(DatabaseSettings)}, with the clock that stamps create and update times. */
    public static Database open(DatabaseSettings settings, Clock clock) {
        migrate(settings);
        DbClient dbClient;
        try {
            dbClient = DbClient.create(dbClientConfig(settings));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the " + settings.vendor() + " database", e);
        }
        Database database = new Database(dbClient, clock);
        try {
            if (settings.seedGuest()) {
                database.seedGuest(clock.instant());
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        LOGGER.log(Level.DEBUG, () -> "database ready: " + settings);
        return database;
    }

    public Stores stores() {
        return stores;
    }

    /** What the A2A view keeps beside the step log (contexts and user messages of A2A tasks). */
    public A2aTaskStore a2aTasks() {
        return a2aTasks;
    }

    /** Runs {@code SELECT 1}, waiting at most two seconds; false when it fails, times out, or after close. */
    public boolean isHealthy() {
        if (closed) {
            return false;
        }
        FutureTask<Boolean> probe = new FutureTask<>(
                () -> dbClient.execute().query("SELECT 1").findFirst().isPresent());
        Thread.ofVirtual().name("db-health").start(probe);
        try {
            return probe.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            probe.cancel(true);
            LOGGER.log(Level.DEBUG, "database health probe failed", e);
            return false;
        }
    }

    /** Closes the connection pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dbClient.close();
    }

    /** Idempotent, and safe when several replicas start at once. */
    private void seedGuest(Instant now) {
        User guest = new User(GUEST_ID, GUEST_EMAIL, GUEST_NAME, GUEST_TOKEN, true, "", "", "", true, false, now, now);
        try {
            stores.users().insertIfAbsent(guest);
        } catch (DuplicateKeyException e) {
            LOGGER.log(Level.WARNING, "guest user not seeded: the email " + GUEST_EMAIL + " belongs to another user");
        }
    }

    private static void migrate(DatabaseSettings settings) {
        MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(settings.url(), settings.username(), settings.password())
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException("migrating the " + settings.vendor() + " database failed", e);
        }
        if (result.migrationsExecuted > 0) {
            LOGGER.log(Level.INFO, "database schema migrated to version " + result.targetSchemaVersion
                    + " (" + result.migrationsExecuted + " migrations applied)");
        }
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        if (logger.getLevel() == null) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    /**
     * DbClient's JDBC provider hands {@code url}, {@code username} and {@code password} to the pool and
     * every other {@code connection} key to HikariCP as a property (camelCase, as Hikari names them).
     */
    private static Config dbClientConfig(DatabaseSettings settings) {
        Map<String, String> values = new HashMap<>();
        values.put("source", "jdbc");
        values.put("connection.url", settings.url());
        values.put("connection.username", settings.username());
        values.put("connection.password", settings.password());
        values.put("connection.poolName", POOL_NAME);
        values.put("connection.maximumPoolSize", Integer.toString(settings.poolSize()));
        values.put("connection.minimumIdle", "1");
        values.put("connection.connectionTimeout", Long.toString(CONNECTION_TIMEOUT.toMillis()));
        return Config.just(ConfigSources.create(values));
    }
}
