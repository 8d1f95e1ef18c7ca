package io.agentserver.service.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

/**
 * Runs bound statements through Helidon DbClient and turns driver failures into {@link StoreException}s.
 * Rows are read by column index (1-based), never by label: H2 upper-cases unquoted labels.
 */
final class Sql {

    /** SQLSTATE of a unique or primary key violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DbClient db;

    Sql(DbClient db) {
        this.db = db;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
    long update(String what, String sql, Object... params) {
        try {
            return db.execute().createDmlStatement(sql).params(params).execute();
        } catch (DbClientException e) {
            throw failure(what, e);
        }
    }

    <T> List<T> list(String what, String sql, Function<DbRow, T> mapper, Object... params) {
        try (Stream<DbRow> rows = db.execute().createQuery(sql).params(params).execute()) {
            return rows.map(mapper).toList();
        } catch (DbClientException e) {
            throw failure(what, e);
        }
    }

    /**
     * The rows of a query, in order, while {@code more} accepts them: the first row it refuses ends the read, and
     * the rows after it are never mapped.
     */
    <T> List<T> listWhile(String what, String sql, Function<DbRow, T> mapper, Predicate<T> more,
                          Object... params) {
        try (Stream<DbRow> rows = db.execute().createQuery(sql).params(params).execute()) {
            List<T> taken = new ArrayList<>();
            Iterator<DbRow> it = rows.iterator();
            while (it.hasNext()) {
                T row = mapper.apply(it.next());
                if (!more.test(row)) {
                    break;
                }
                taken.add(row);
            }
            return taken;
        } catch (DbClientException e) {
            throw failure(what, e);
        }
    }

    /** The first row of a query, which should say {@code LIMIT 1} or select by a unique key. */
    <T> Optional<T> first(String what, String sql, Function<DbRow, T> mapper, Object... params) {
        try (Stream<DbRow> rows = db.execute().createQuery(sql).params(params).execute()) {
            return rows.findFirst().map(mapper);
        } catch (DbClientException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Statements
     * inside go through {@code tx} (the static helpers below take it).
     */
    <T> T inTransaction(String what, java.util.function.Function<io.helidon.dbclient.DbExecute, T> work) {
        io.helidon.dbclient.DbTransaction tx;
        try {
            tx = db.transaction();
        } catch (DbClientException e) {
            throw failure(what, e);
        }
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (DbClientException e) {
            rollbackQuietly(tx);
            throw failure(what, e);
        } catch (RuntimeException e) {
            rollbackQuietly(tx);
            throw e;
        }
    }

    private static void rollbackQuietly(io.helidon.dbclient.DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            // the transaction is gone with its connection; the first failure is the one to report
        }
    }

    /** The first row of a query inside a transaction, as its first column's text. */
    static java.util.Optional<String> first(io.helidon.dbclient.DbExecute tx, String sql, Object... params) {
        try (Stream<DbRow> rows = tx.createQuery(sql).params(params).execute()) {
            return rows.findFirst().map(row -> stringAt(row, 1));
        }
    }

    /** A single number inside a transaction. */
    static long number(io.helidon.dbclient.DbExecute tx, String sql, Object... params) {
        try (Stream<DbRow> rows = tx.createQuery(sql).params(params).execute()) {
            return rows.findFirst().map(row -> longAt(row, 1)).orElse(0L);
        }
    }

    /** A single number, e.g. {@code SELECT COUNT(*)}. */
    long number(String what, String sql, Object... params) {
        return first(what, sql, row -> longAt(row, 1), params)
                .orElseThrow(() -> new StoreException(what + ": no result", null));
    }

    private static StoreException failure(String what, DbClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return new DuplicateKeyException(what + ": duplicate key", e);
            }
        }
        return new StoreException(what + " failed", e);
    }

    // ---- binding -----------------------------------------------------------------------------------

    /**
     * The bound form of an instant: a UTC {@link OffsetDateTime}, which both drivers accept for
     * {@code TIMESTAMP WITH TIME ZONE}, truncated to the microseconds both databases keep.
     */
    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /** The form in which an instant comes back from the database, for comparing in tests and callers. */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    // ---- reading -----------------------------------------------------------------------------------

    static String stringAt(DbRow row, int index) {
        Object value = raw(row, index);
        return value == null ? null : value.toString();
    }

    static boolean booleanAt(DbRow row, int index) {
        Object value = raw(row, index);
        return switch (value) {
            case Boolean b -> b;
            case Number n -> n.intValue() != 0;
            case null -> false;
            default -> Boolean.parseBoolean(value.toString());
        };
    }

    static long longAt(DbRow row, int index) {
        Object value = raw(row, index);
        return switch (value) {
            case Number n -> n.longValue();
            case null -> 0L;
            default -> Long.parseLong(value.toString());
        };
    }

    static byte[] bytesAt(DbRow row, int index) {
        Object value = raw(row, index);
        return switch (value) {
            case byte[] bytes -> bytes;
            case null -> null;
            default -> throw new StoreException("column " + index + " is not binary: " + value.getClass().getName(), null);
        };
    }

    /** H2 answers {@link OffsetDateTime}, PostgreSQL {@link Timestamp}; both are instants. */
    static Instant instantAt(DbRow row, int index) {
        Object value = raw(row, index);
        return switch (value) {
            case OffsetDateTime odt -> odt.toInstant();
            case Timestamp ts -> ts.toInstant();
            case Instant instant -> instant;
            case LocalDateTime ldt -> ldt.toInstant(ZoneOffset.UTC);
            case null -> null;
            default -> throw new StoreException("column " + index + " is not a timestamp: " + value.getClass().getName(), null);
        };
    }

    private static Object raw(DbRow row, int index) {
        return row.column(index).get(Object.class);
    }
}
