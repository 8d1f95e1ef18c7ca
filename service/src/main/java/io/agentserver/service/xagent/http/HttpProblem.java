package io.agentserver.service.xagent.http;

/** A client error with the status and message the envelope carries. */
public final class HttpProblem extends RuntimeException {

    private final int status;

    public HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, message);
    }

    static HttpProblem forbidden(String message) {
        return new HttpProblem(403, message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }
}
