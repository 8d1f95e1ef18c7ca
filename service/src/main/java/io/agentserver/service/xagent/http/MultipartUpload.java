package io.agentserver.service.xagent.http;

import io.agentserver.service.store.User;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.media.multipart.MultiPart;
import io.helidon.http.media.multipart.ReadablePart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads an upload's parts one at a time as they arrive, within {@link UploadSettings}: the caller is
 * authenticated the moment {@code user_id} and {@code token} are known (query string first, else the fields),
 * so a refused caller's body is not read any further; file contents go to temporary files, not memory, and
 * are handed out one at a time once the whole request was accepted. Close it to delete the temporary files.
 */
final class MultipartUpload implements AutoCloseable {

    /** One received file, spooled to disk. */
    record SpooledFile(String name, Path path) {
        byte[] content() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final UploadSettings limits;
    private final Function<Form, User> authenticate;
    private final Map<String, List<String>> fields = new HashMap<>();
    private final List<SpooledFile> files = new ArrayList<>();
    private User caller;
    private long total;
    private int parts;

    MultipartUpload(UploadSettings limits, Function<Form, User> authenticate) {
        this.limits = limits;
        this.authenticate = authenticate;
    }

    /** Authenticates from the query string if it names the caller; otherwise waits for the fields. */
    MultipartUpload authenticateFrom(Parameters query) {
        if (query.contains("user_id") && query.contains("token")) {
            caller = authenticate.apply(Form.of(query));
        }
        return this;
    }

    /** Reads every part; throws {@link HttpProblem} (401, 400, 413) as soon as the request is refused. */
    MultipartUpload read(MultiPart multiPart) {
        while (multiPart.hasNext()) {
            ReadablePart part = multiPart.next();
            if (++parts > limits.maxParts()) {
                throw new HttpProblem(413, "more than " + limits.maxParts() + " parts");
            }
            if ("files".equals(part.name())) {
                spool(part);
            } else {
                String value = new String(readCapped(part, UploadSettings.MAX_FIELD_BYTES, "field " + part.name()),
                        StandardCharsets.UTF_8);
                fields.computeIfAbsent(part.name(), k -> new ArrayList<>()).add(value);
                if (caller == null && fields.containsKey("user_id") && fields.containsKey("token")) {
                    caller = authenticate.apply(Form.of(Parameters.create("form", fields)));
                }
            }
        }
        if (caller == null) {
            caller = authenticate.apply(Form.of(Parameters.create("form", fields)));
        }
        return this;
    }

    User caller() {
        return caller;
    }

    List<SpooledFile> files() {
        return files;
    }

    private void spool(ReadablePart part) {
        String name = part.fileName().orElse("file");
        try (InputStream in = part.inputStream()) {
            Path path = Files.createTempFile("upload-", ".part");
            files.add(new SpooledFile(name, path));
            long size = 0;
            try (OutputStream out = Files.newOutputStream(path)) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    size += n;
                    count(n);
                    if (size > limits.maxFileBytes()) {
                        throw new HttpProblem(413, "a file is larger than " + limits.maxFileBytes() + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readCapped(ReadablePart part, int max, String what) {
        try (InputStream in = part.inputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new HttpProblem(413, what + " is longer than " + max + " bytes");
            }
            count(bytes.length);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void count(long bytes) {
        total += bytes;
        if (total > limits.maxTotalBytes()) {
            throw new HttpProblem(413, "the upload is larger than " + limits.maxTotalBytes() + " bytes");
        }
    }

    /** Deletes the temporary files. */
    @Override
    public void close() {
        for (SpooledFile file : files) {
            try {
                Files.deleteIfExists(file.path());
            } catch (IOException ignored) {
                // a temporary file; the OS cleans its temp folder
            }
        }
    }
}
