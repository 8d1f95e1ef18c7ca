package io.agentserver.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The shell script of the managed PostgreSQL's init container ({@code postgres-prepare-data.sh}
 * next to this class): on an existing data directory it refuses a different major version and
 * sets the role's password from the Secret, as CloudNativePG reconciles role passwords. The
 * password thus follows the Secret, whatever data directory the volume holds.
 */
public final class PostgresDataPreparation {

    /** The script, run with {@code sh -c}. */
    public static final String SCRIPT = load();

    private PostgresDataPreparation() {
    }

    private static String load() {
        try (InputStream in = PostgresDataPreparation.class.getResourceAsStream("postgres-prepare-data.sh")) {
            if (in == null) {
                throw new IllegalStateException("postgres-prepare-data.sh is missing from the operator jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
