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
    private final boolean problemInMessage;

    protected ApiException(int status, String message, List<ErrorDetail> problems, Map<String, String> headers) {
        this(status, message, problems, headers, false);
    }

    /**
     * @param problemInMessage whether {@code message} says the one problem in {@code problems} whole
     *                         ({@link #problemInMessage})
     * @throws IllegalArgumentException when {@code problemInMessage} but {@code problems} does not hold exactly one
     */
    protected ApiException(int status, String message, List<ErrorDetail> problems, Map<String, String> headers,
                           boolean problemInMessage) {
        super(status, message);
        if (problemInMessage && problems.size() != 1) {
            throw new IllegalArgumentException("a message says one problem whole, not " + problems.size());
        }
        this.problems = List.copyOf(problems);
        this.headers = Map.copyOf(headers);
        this.problemInMessage = problemInMessage;
    }

    /** The specific problems (may be empty). */
    public List<ErrorDetail> problems() {
        return problems;
    }

    /**
     * Whether the message already says the single problem whole ({@code invalid limit: must be from 1 to 10000, got 0},
     * {@code alert 7 not found}): whoever shows the message need not list the problem under it again.
     */
    public boolean problemInMessage() {
        return problemInMessage;
    }

    /** Headers to send with the error, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
