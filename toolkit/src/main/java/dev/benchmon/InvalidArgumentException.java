package dev.benchmon;

import java.util.List;

/**
 * An argument that a query, a comparison or an option refuses (a filter's limit, a window, a threshold, a confidence,
 * a minimum effect, two results to compare): nothing was to be stored, so the message says so plainly, e.g.
 * {@code invalid argument: limit: must be at least 1, got 0}; several problems read
 * {@code invalid arguments (2 problems): a: ...; b: ...}. A {@link ValidationException}, so callers that catch
 * refused input (the server's 400, the CLI's exit code) handle it as before; ingest keeps its own wording.
 */
public class InvalidArgumentException extends ValidationException {
    public InvalidArgumentException(List<Problem> problems) {
        super(describe(problems), problems);
    }

    public InvalidArgumentException(Problem problem) {
        this(List.of(problem));
    }

    private static String describe(List<Problem> problems) {
        return problems.size() == 1 ? "invalid argument: " + text(problems)
                : "invalid arguments (" + problems.size() + " problems): " + text(problems);
    }
}
