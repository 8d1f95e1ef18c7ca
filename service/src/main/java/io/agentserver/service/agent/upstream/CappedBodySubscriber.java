package io.agentserver.service.agent.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Receives a response body into a {@link Sink} and gives up as soon as more than {@code maxBytes} arrived, or
 * at once when the declared {@code Content-Length} is larger: the rest is never read (the subscription is
 * cancelled, which closes the exchange) and the body completes with {@link TooLarge}.
 */
final class CappedBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {

    /** The body passed its cap; {@code declared} when the server said so up front. */
    static final class TooLarge extends IOException {
        final long maxBytes;
        final boolean declared;

        TooLarge(long maxBytes, boolean declared) {
            super("response body over " + maxBytes + " bytes", null);
            this.maxBytes = maxBytes;
            this.declared = declared;
        }
    }

    /** Where the bytes go. */
    interface Sink<T> {
        void write(ByteBuffer buffer) throws IOException;

        T finish(long size) throws IOException;

        /** Drops what was written (deletes a file); called at most once, never after {@link #finish}. */
        void abort();
    }

    private final Sink<T> sink;
    private final long maxBytes;
    private final OptionalLong declaredLength;
    /** Past the cap: keep the first {@code maxBytes} and end normally instead of failing. */
    private final boolean truncate;
    private final CompletableFuture<T> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long received;
    private boolean done;

    CappedBodySubscriber(Sink<T> sink, long maxBytes, OptionalLong declaredLength) {
        this(sink, maxBytes, declaredLength, false);
    }

    private CappedBodySubscriber(Sink<T> sink, long maxBytes, OptionalLong declaredLength, boolean truncate) {
        this.sink = sink;
        this.maxBytes = maxBytes;
        this.declaredLength = declaredLength;
        this.truncate = truncate;
    }

    /** Keeps the first {@code maxBytes} of the body and reads no further (for error bodies). */
    static <T> CappedBodySubscriber<T> truncating(Sink<T> sink, long maxBytes) {
        return new CappedBodySubscriber<>(sink, maxBytes, OptionalLong.empty(), true);
    }

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength.isPresent() && declaredLength.getAsLong() > maxBytes) {
            fail(new TooLarge(maxBytes, true));
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (done) {
            return;
        }
        try {
            for (ByteBuffer buffer : buffers) {
                if (received + buffer.remaining() > maxBytes) {
                    if (truncate) {
                        buffer.limit(buffer.position() + (int) (maxBytes - received));
                        received = maxBytes;
                        sink.write(buffer);
                        subscription.cancel();
                        onComplete();
                    } else {
                        fail(new TooLarge(maxBytes, false));
                    }
                    return;
                }
                received += buffer.remaining();
                sink.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        if (!done) {
            done = true;
            sink.abort();
            body.completeExceptionally(error);
        }
    }

    @Override
    public void onComplete() {
        if (done) {
            return;
        }
        done = true;
        try {
            body.complete(sink.finish(received));
        } catch (IOException | RuntimeException e) {
            sink.abort();
            body.completeExceptionally(e);
        }
    }

    private void fail(Exception error) {
        done = true;
        subscription.cancel();
        sink.abort();
        body.completeExceptionally(error);
    }

    /** Bytes in memory. */
    static Sink<byte[]> memory() {
        return new Sink<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void write(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public byte[] finish(long size) {
                return out.toByteArray();
            }

            @Override
            public void abort() {
                out.reset();
            }
        };
    }

    /** Bytes in a new temporary file under {@code dir}, owner-only where the file system has permissions. */
    static Sink<SpooledBody> file(Path dir) {
        Path file;
        FileChannel channel;
        try {
            file = createTempFile(dir);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Sink<>() {
            @Override
            public void write(ByteBuffer buffer) throws IOException {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public SpooledBody finish(long size) throws IOException {
                channel.close();
                return new SpooledBody(file, size);
            }

            @Override
            public void abort() {
                try {
                    channel.close();
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        };
    }

    private static Path createTempFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            return Files.createTempFile(dir, "upstream-", ".body",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, "upstream-", ".body");
        }
    }
}
