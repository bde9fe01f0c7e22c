package dev.benchmon.server.api.errors;

import io.javalin.http.HttpResponseException;

import java.util.List;
import java.util.Map;

/**
 * An error the API answers with a given status, a message, details and extra headers. Subclasses
 * name the statuses the API uses; throw them from handlers.
 */
public abstract class ApiException extends HttpResponseException {
    private final List<ErrorDetail> problems;
    private final Map<String, String> headers;

    protected ApiException(int status, String message, List<ErrorDetail> problems, Map<String, String> headers) {
        super(status, message);
        this.problems = List.copyOf(problems);
        this.headers = Map.copyOf(headers);
    }

    /** The specific problems (may be empty). */
    public List<ErrorDetail> problems() {
        return problems;
    }

    /** Headers to send with the error, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
