package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.secrets.Redactor;

import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What a model server's failure tells the user, and the log: the server's own words ({@code error.message}),
 * redacted (the API key, the base URL, anything shaped like a key) and short, and the kind of a connection
 * failure without addresses. The whole answer goes to the log, redacted.
 */
final class ModelServerErrors {

    /** The most of the server's own error message a user sees. */
    static final int DETAIL_CHARS = 200;
    private static final int LOGGED_CHARS = 300;
    private static final System.Logger LOG = System.getLogger(ModelServerErrors.class.getName());

    private final String agent;
    private final LlmSettings settings;
    private final AgentTelemetry telemetry;
    private final Redactor redactor;

    ModelServerErrors(String agent, LlmSettings settings, AgentTelemetry telemetry, Redactor redactor) {
        this.agent = agent;
        this.settings = settings;
        this.telemetry = telemetry;
        this.redactor = redactor;
    }

    /** The server's own words, redacted and short, as {@code ": …"}; empty when none. */
    String detail(OpenAIServiceException e) {
        LOG.log(Level.INFO, "model server error agent=" + agent + " status=" + e.statusCode() + " body="
                + redactor.excerpt(String.valueOf(e.body()), LOGGED_CHARS));
        String shown = redactor.excerpt(serverMessage(e), DETAIL_CHARS);
        return shown.isEmpty() ? "" : ": " + shown;
    }

    /** A timeout or a connection that could not be made; counted. */
    RunFailure ioFailure(OpenAIIoException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException) {
                telemetry.upstreamError(agent, AgentTelemetry.TIMEOUT);
                return new RunFailure("the model server did not answer within " + settings.timeout().toSeconds()
                        + " s (LLM_TIMEOUT)");
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                break;
            }
        }
        telemetry.upstreamError(agent, AgentTelemetry.UNREACHABLE);
        LOG.log(Level.INFO, "model server unreachable agent=" + agent + " error="
                + redactor.excerpt(rootMessage(e), LOGGED_CHARS));
        return new RunFailure("cannot reach the model server (LLM_BASE_URL): " + rootCause(e));
    }

    /** Logs an answer that was not a Chat Completions response, redacted. */
    void unreadable(Exception e) {
        LOG.log(Level.INFO, "model answer unreadable agent=" + agent + " error="
                + redactor.excerpt(String.valueOf(e.getMessage()), LOGGED_CHARS));
    }

    /** The server's message: {@code error.message} (or {@code message}, {@code error}, {@code detail}). */
    static String serverMessage(OpenAIServiceException e) {
        try {
            JsonNode body = e.body().convert(JsonNode.class);
            if (body == null) {
                return "";
            }
            for (JsonNode node : List.of(body.path("error"), body)) {
                for (String field : List.of("message", "error", "detail")) {
                    if (node.path(field).isTextual() && !node.path(field).asText().isBlank()) {
                        return node.path(field).asText();
                    }
                }
            }
            return body.isTextual() ? body.asText() : "";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** The kind of a connection failure, without addresses. */
    private static String rootCause(Throwable e) {
        Throwable root = root(e);
        return root instanceof ConnectException ? "connection refused"
                : root instanceof UnknownHostException ? "unknown host" : root.getClass().getSimpleName();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
