package io.agentserver.service.agent.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A response body written to a temporary file readable only by this process's user. {@link #close()} deletes
 * the file; the owner must close it.
 */
public final class SpooledBody implements AutoCloseable {

    private final Path file;
    private final long size;

    SpooledBody(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    /** The whole body; for bodies the caller knows to be small enough (their size is {@link #size()}). */
    public byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
